#include <catch2/catch.hpp>

#include "heroku/api.hpp"
#include "heroku/request.hpp"

using namespace shipgate;

TEST_CASE("heroku: a slug's size is a whole number of bytes, or the answer is an error", "[heroku]") {
  auto slug = heroku::parse_slug(R"({"id": "s", "size": 222000000, "commit": "abc"})");
  REQUIRE(slug.ok());
  CHECK(slug->size == 222'000'000);
  CHECK(heroku::parse_slug(R"({"size": 0})").ok());  // empty, but a size
  for (const char* body : {R"({"commit": "abc"})", R"({"size": "222000000"})", R"({"size": -1})", R"({"size": 1.5})",
                           R"({"size": null})", R"({"size": true})"}) {
    INFO(body);
    const auto bad = heroku::parse_slug(body);
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.error().message, Catch::Contains("the slug's size is") && Catch::Contains("not a whole number"));
  }
}

TEST_CASE("heroku: a release's status is one the API documents", "[heroku]") {
  for (const char* status : {"succeeded", "pending", "failed", "expired"}) {
    INFO(status);
    CHECK(heroku::parse_releases(std::string(R"([{"version": 3, "status": ")") + status + "\"}]").ok());
  }
  auto bad = heroku::parse_releases(R"([{"version": 3, "status": "succeeded"}, {"version": 4, "status": "deleted"}])");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message ==
        "release v4 has status \"deleted\", not one the API documents (succeeded, pending, "
        "failed, expired)");
  CHECK_FALSE(heroku::parse_releases(R"([{"version": 3}])").ok());
  // A slug is null (no code) or names its id; anything else would skip the slug's checks.
  CHECK(heroku::parse_releases(R"([{"version": 3, "status": "succeeded", "slug": null}])").ok());
  for (const char* slug : {R"({"id": 5})", R"({})", R"("s-1")", R"({"id": ""})"}) {
    INFO(slug);
    const auto r =
        heroku::parse_releases(std::string(R"([{"version": 3, "status": "succeeded", "slug": )") + slug + "}]");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("release v3 has a slug without an id"));
  }
  CHECK_FALSE(heroku::parse_releases(R"([{"version": 3, "status": 1}])").ok());
}

TEST_CASE("heroku: paths keep each name one segment; requests carry the API's headers", "[heroku]") {
  CHECK(heroku::app_path("raxx-api") == "/apps/raxx-api");
  CHECK(heroku::app_path("raxx-api", "releases") == "/apps/raxx-api/releases");
  CHECK(heroku::slug_path("raxx-api", "../../../apps/other") == "/apps/raxx-api/slugs/..%2F..%2F..%2Fapps%2Fother");
  CHECK(heroku::slug_path("raxx-api", "..") == "/apps/raxx-api/slugs/%2E%2E");
  const auto r = heroku::request("https://api.heroku.com", "/apps/x", "tok", std::chrono::seconds(5));
  CHECK(r.url == "https://api.heroku.com/apps/x");
  REQUIRE(r.headers.size() == 2);
  CHECK(r.headers[0].value == "application/vnd.heroku+json; version=3");
  CHECK(r.headers[1].value == "Bearer tok");
  CHECK(r.headers[1].secret);
  CHECK(*heroku::api_base(std::nullopt) == "https://api.heroku.com");
  CHECK_FALSE(heroku::api_base(std::string("http://api.heroku.com")).ok());
}
