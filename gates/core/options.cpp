#include "core/options.hpp"

#include <algorithm>
#include <charconv>

#include <re2/re2.h>

#include "core/paths.hpp"
#include "core/text.hpp"

namespace shipgate::options {

namespace {

/// The value as quoted in a message: one line, cut short (secrets are out of it already: every
/// text passes the run's secrets before it is shortened).
std::string shown(std::string_view text) { return "'" + text::shorten(text::one_line(text), 60) + "'"; }

std::optional<std::string> check_integer(const Option& o, std::string_view text) {
  long long n = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, n);
  const auto range = "from " + std::to_string(o.min) + " to " + std::to_string(o.max);
  if (text.empty() || ec != std::errc() || ptr != end || text.front() == '+') {
    return "expected a whole number " + range + ", got " + shown(text);
  }
  if (n < o.min || n > o.max) {
    return "expected a whole number " + range + ", got " + std::string(text);
  }
  return std::nullopt;
}

std::optional<std::string> check_duration(const Option& o, std::string_view text) {
  const auto d = units::parse_duration(text);
  if (!d) {
    return d.error().message;
  }
  if (*d < o.min_duration) {
    return "must be at least " + units::format_duration(o.min_duration) + ", got " + std::string(text);
  }
  if (o.max_duration.count() > 0 && *d > o.max_duration) {
    return "must be at most " + units::format_duration(o.max_duration) + ", got " + std::string(text);
  }
  return std::nullopt;
}

std::optional<std::string> check_url(std::string_view text) {
  const auto scheme = text.find("://");
  const auto name = text::to_lower(text.substr(0, scheme == std::string_view::npos ? 0 : scheme));
  const auto rest = scheme == std::string_view::npos ? std::string_view() : text.substr(scheme + 3);
  const auto host = rest.substr(0, rest.find_first_of("/?#"));
  const auto at = host.rfind('@');
  const auto bare = at == std::string_view::npos ? host : host.substr(at + 1);
  if ((name != "http" && name != "https") || bare.empty() || bare.front() == ':' ||
      text.find_first_of(" \t\r\n") != std::string_view::npos) {
    return "expected an http:// or https:// URL, got " + shown(text::without_userinfo(text));
  }
  return std::nullopt;
}

std::optional<std::string> check_header(std::string_view text) {
  const auto colon = text.find(':');
  const auto name = colon == std::string_view::npos ? std::string_view() : text::trim(text.substr(0, colon));
  if (name.empty() || name.find_first_of(" \t\r\n") != std::string_view::npos ||
      text.find_first_of("\r\n") != std::string_view::npos) {
    return std::string("expected 'NAME: VALUE'");
  }
  return std::nullopt;
}

std::optional<std::string> check_type(const Option& o, std::string_view text) {
  switch (o.type) {
    case Type::boolean:
      if (!parse_boolean(text)) {
        return "expected true or false, got " + shown(text);
      }
      return std::nullopt;
    case Type::integer:
      return check_integer(o, text);
    case Type::duration:
      return check_duration(o, text);
    case Type::size:
      if (auto s = units::parse_size(text); !s) {
        return s.error().message;
      }
      return std::nullopt;
    case Type::choice:
      if (std::find(o.choices.begin(), o.choices.end(), text) == o.choices.end()) {
        return "expected one of " + text::join(o.choices, ", ") + ", got " + shown(text);
      }
      return std::nullopt;
    case Type::url:
      return check_url(text);
    case Type::regex: {
      RE2::Options re_options;
      re_options.set_log_errors(false);
      const RE2 re(re2::StringPiece(text.data(), text.size()), re_options);
      if (!re.ok()) {
        return "not a valid regular expression (re2): " + text::one_line(re.error());
      }
      return std::nullopt;
    }
    case Type::header:
      return check_header(text);
    case Type::string:
    case Type::path:
    case Type::secret:
      if (o.type != Type::secret && text.find_first_of("\r\n") != std::string_view::npos) {
        return std::string("must be one line");
      }
      return std::nullopt;
  }
  return std::nullopt;
}

std::vector<std::string> split_default(const Option& o) {
  std::vector<std::string> out;
  if (o.default_value.empty()) {
    return out;
  }
  if (!o.repeatable) {
    return {o.default_value};
  }
  for (const auto part : text::split(o.default_value, ',')) {
    out.emplace_back(text::trim(part));
  }
  return out;
}

/// The scalar texts of a config value: one scalar, or a list of scalars when repeatable.
std::optional<std::vector<std::string>> config_texts(const Option& o, const yaml::Document& doc, const yaml::Node& node,
                                                     std::string& why) {
  if (node.is_scalar()) {
    return std::vector<std::string>{node.value};
  }
  if (node.is_sequence() && o.repeatable) {
    if (node.items.empty()) {
      // An empty list would silently check nothing (lint linting no file): never a default.
      why = "expected at least one value, got an empty list (leave the key out for the default)";
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto id : node.items) {
      const auto& item = doc.at(id);
      if (!item.is_scalar()) {
        why = "expected a list of single values";
        return std::nullopt;
      }
      out.push_back(item.value);
    }
    return out;
  }
  why = o.repeatable ? "expected one value or a list of values" : "expected one value, not a list or a mapping";
  return std::nullopt;
}

/// The config key among the option's spellings, read once; two spellings at once is an error.
const yaml::Node* take_key(config::Section& section, const Option& o, std::string& key_used) {
  const yaml::Node* found = nullptr;
  for (const auto* name : [&] {
         std::vector<const std::string*> names{&o.name};
         for (const auto& a : o.aliases) {
           names.push_back(&a);
         }
         return names;
       }()) {
    const auto* node = section.take(*name);
    if (node == nullptr || node->is_null()) {
      continue;
    }
    if (found != nullptr) {
      section.error(*node, *name, "'" + *name + "' and '" + key_used + "' are the same key: give one");
      continue;
    }
    found = node;
    key_used = *name;
  }
  return found;
}

void from_config(Values::Entry& e, const Option& o, config::Section& section, std::vector<Error>& errors) {
  std::string key;
  const auto* node = take_key(section, o, key);
  if (node == nullptr) {
    return;
  }
  e.where = {section.path(), node->pos.line, node->pos.column};
  e.label = section.name() + "." + key;
  std::string why;
  const auto texts = config_texts(o, *section.document(), *node, why);
  if (!texts) {
    errors.push_back({why, e.where, e.label});
    return;
  }
  e.origin = Origin::config;
  e.texts = *texts;
  if (o.type == Type::path) {
    for (auto& t : e.texts) {
      t = paths::from_config(section.path(), t);
    }
  }
}

}  // namespace

Option request_timeout(std::string default_value) {
  return {.name = "timeout",
          .type = Type::duration,
          .help = "Per request",
          .default_value = std::move(default_value),
          .min_duration = units::Duration(1)};
}

Option run_deadline(std::string default_value) {
  return {.name = "deadline",
          .type = Type::duration,
          .help = "Whole run",
          .default_value = std::move(default_value),
          .min_duration = units::Duration(1)};
}

std::optional<bool> parse_boolean(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") {
    return true;
  }
  if (text == "false" || text == "False" || text == "FALSE") {
    return false;
  }
  return std::nullopt;
}

std::optional<std::string> check(const Option& option, std::string_view text) {
  if (auto wrong = check_type(option, text)) {
    return wrong;
  }
  if (option.validate) {
    return option.validate(text);
  }
  return std::nullopt;
}

std::string placeholder(const Option& o) {
  if (!o.placeholder.empty()) {
    return o.placeholder;
  }
  switch (o.type) {
    case Type::path:
      return "FILE";
    case Type::integer:
      return "N";
    case Type::duration:
      return "DURATION";
    case Type::size:
      return "SIZE";
    case Type::choice:
      return text::join(o.choices, "|");
    case Type::url:
      return "URL";
    case Type::regex:
      return "REGEX";
    case Type::header:
      return "'NAME: VALUE'";
    default:
      return "TEXT";
  }
}

std::string help_line(const Option& o) {
  std::string line = o.help;
  std::vector<std::string> defaults;
  for (const auto& var : o.env) {
    defaults.push_back(var);
  }
  if (!o.default_value.empty()) {
    defaults.push_back(o.default_value);
  }
  if (!defaults.empty()) {
    line += " (default: " + text::join(defaults, ", else ") + ")";
  }
  return line;
}

void add_to_cli(CLI::App& app, const std::vector<Option>& declared, RawFlags& raw) {
  for (const auto& o : declared) {
    if (o.type == Type::secret) {
      continue;
    }
    auto& into = raw[o.name];
    if (o.positional) {
      app.add_option(o.name, into, help_line(o))->option_text(placeholder(o) + (o.repeatable ? "..." : ""));
      continue;
    }
    std::string names = "--" + o.name;
    for (const auto& a : o.aliases) {
      names += ",--" + a;
    }
    if (o.bare) {
      // `--flag` alone is true (CLI11's value for a bare flag); `--flag=VALUE` any choice.
      app.add_flag(names, into, help_line(o))
          ->option_text("[=" + placeholder(o) + "]")
          ->check(CLI::Validator([&o](std::string& value) { return check(o, value).value_or(std::string()); }, "", ""));
      continue;
    }
    if (o.type == Type::boolean) {
      // `--flag` alone is true; `--flag=false` and `--flag=true` say it outright (the actions'
      // inputs do, so an input of false overrides a config of true).
      app.add_flag(names, into, help_line(o))
          ->check(CLI::Validator([&o](std::string& value) { return check(o, value).value_or(std::string()); }, "", ""));
      continue;
    }
    // One value per flag (a later word is the next argument, not a second value); repeated, a
    // repeatable option takes every value and any other the last.
    auto* option =
        app.add_option(names, into, help_line(o))
            ->option_text(placeholder(o))
            ->expected(1)
            ->allow_extra_args(false)
            ->multi_option_policy(o.repeatable ? CLI::MultiOptionPolicy::TakeAll : CLI::MultiOptionPolicy::TakeLast);
    if (o.delimiter != 0) {
      option->delimiter(o.delimiter);
    }
    // Checked while parsing too, so a bad value beside --version is still a usage error.
    option->check(CLI::Validator([&o](std::string& value) { return check(o, value).value_or(std::string()); }, "", ""));
  }
}

std::vector<Error> check_boolean_flags(const std::vector<Option>& declared, const std::vector<std::string>& args) {
  std::vector<Error> errors;
  for (const auto& arg : args) {
    if (arg == "--") {
      break;
    }
    const auto eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos) {
      continue;
    }
    const auto name = std::string_view(arg).substr(2, eq - 2);
    for (const auto& o : declared) {
      const bool named = o.name == name || std::find(o.aliases.begin(), o.aliases.end(), name) != o.aliases.end();
      if ((o.type != Type::boolean && !o.bare) || !named) {
        continue;
      }
      if (auto wrong = check(o, std::string_view(arg).substr(eq + 1))) {
        errors.push_back({"--" + std::string(name) + ": " + *wrong, {}, {}});
      }
    }
  }
  return errors;
}

Values resolve(const std::vector<Option>& declared, const RawFlags& raw, const CLI::App& app, config::Section& section,
               const Invocation& inv, std::vector<Error>& errors) {
  Values values;
  for (const auto& o : declared) {
    auto& e = values.entries()[o.name];
    e.option = &o;
    const auto flag = raw.find(o.name);
    const bool flagged = o.type != Type::secret && flag != raw.end() &&
                         (o.positional ? !flag->second.empty() : app.count("--" + o.name) > 0);
    if (o.type != Type::secret && !o.flag_only) {
      // Read even when the flag wins, so that a bad config value is still an error.
      Values::Entry from_file;
      from_config(from_file, o, section, errors);
      if (!flagged && from_file.origin == Origin::config) {
        e = std::move(from_file);
        e.option = &o;
      } else if (from_file.origin == Origin::config) {
        // The flag wins, but the file is still checked: its bad value would bite without the flag.
        for (const auto& t : from_file.texts) {
          if (auto wrong = check(o, t)) {
            errors.push_back({*wrong, from_file.where, from_file.label});
            break;
          }
        }
      }
    }
    if (flagged) {
      e.origin = Origin::flag;
      e.texts = flag->second;
      e.label = o.positional ? o.name : "--" + o.name;
      if (o.positional && !o.repeatable && e.texts.size() > 1) {
        // One directory was meant; two is a typo or an unquoted space, never "the last one".
        Error err;
        err.message = o.name + ": takes one " + placeholder(o) + ", got " + std::to_string(e.texts.size()) +
                      " (quote a path with spaces)";
        err.key = o.name;
        errors.push_back(std::move(err));
        e.texts = {e.texts.front()};
      } else if (!o.repeatable && e.texts.size() > 1) {
        e.texts = {e.texts.back()};
      }
    }
    if (e.origin == Origin::none) {
      for (const auto& var : o.env) {
        if (auto v = inv.getenv(var); v && !v->empty()) {
          e.origin = Origin::env;
          e.texts = {*v};
          e.label = var;
          break;
        }
      }
    }
    if (e.origin == Origin::none) {
      e.texts = split_default(o);
      e.origin = e.texts.empty() ? Origin::none : Origin::fallback;
      e.label = o.type == Type::secret && !o.env.empty() ? o.env.front() : "--" + o.name;
    }
    for (const auto& t : e.texts) {
      if (auto wrong = check(o, t)) {
        errors.push_back(values.error(o.name, *wrong));
        break;
      }
    }
  }
  return values;
}

const Values::Entry& Values::entry(std::string_view name) const {
  const auto it = m_entries.find(name);
  if (it == m_entries.end()) {
    throw std::logic_error("option '" + std::string(name) + "' is not declared");
  }
  return it->second;
}

bool Values::given(std::string_view name) const {
  const auto o = entry(name).origin;
  return o == Origin::flag || o == Origin::config || o == Origin::env;
}

Origin Values::origin(std::string_view name) const { return entry(name).origin; }

const std::string& Values::text(std::string_view name) const {
  static const std::string k_empty;
  const auto& e = entry(name);
  return e.texts.empty() ? k_empty : e.texts.back();
}

const std::vector<std::string>& Values::list(std::string_view name) const { return entry(name).texts; }

bool Values::boolean(std::string_view name) const { return parse_boolean(text(name)).value_or(false); }

long long Values::integer(std::string_view name) const {
  long long n = 0;
  const auto& t = text(name);
  std::from_chars(t.data(), t.data() + t.size(), n);
  return n;
}

std::optional<units::Duration> Values::duration(std::string_view name) const {
  const auto& t = text(name);
  if (t.empty()) {
    return std::nullopt;
  }
  auto d = units::parse_duration(t);
  return d ? std::optional<units::Duration>(*d) : std::nullopt;
}

std::optional<std::uint64_t> Values::size(std::string_view name) const {
  const auto& t = text(name);
  if (t.empty()) {
    return std::nullopt;
  }
  auto s = units::parse_size(t);
  return s ? std::optional<std::uint64_t>(*s) : std::nullopt;
}

Error Values::error(std::string_view name, const std::string& message) const {
  const auto& e = entry(name);
  if (e.origin == Origin::config) {
    return {message, e.where, e.label};
  }
  const auto label = e.label.empty() ? "--" + std::string(name) : e.label;
  return {label + ": " + message, {}, {}};
}

}  // namespace shipgate::options
