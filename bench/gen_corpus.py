#!/usr/bin/env python3
"""Writes a deterministic corpus of GitHub Actions workflow files for bench/run.sh.

Each file is built from its own seeded random generator, so file N is the same for the same --seed
whatever --count is. Sizes follow a log-normal spread clipped to 20..1500 lines (mean a few
hundred); shapes are small CI runs, matrix builds, Heroku deploy pipelines and large mixed files,
with anchors and aliases, flow style, comments and long `run: |` scripts in some of them.
"""
import argparse
import math
import pathlib
import random

WORDS = ["api", "web", "worker", "billing", "search", "auth", "cart", "ledger", "notify", "media",
         "reports", "gateway", "admin", "sync", "queue", "export", "import", "catalog", "orders"]
ENV = {"NODE_ENV": "production", "RAILS_ENV": "test", "PYTHONUNBUFFERED": "'1'", "FORCE_COLOR": "'3'",
       "LOG_LEVEL": "debug", "DATABASE_URL": "postgres://postgres:postgres@localhost:5432/app_test",
       "REDIS_URL": "redis://localhost:6379/0", "HEROKU_EMAIL": "ops@example.com", "APP_REGION": "eu",
       "BUNDLE_WITHOUT": "development:production", "GOFLAGS": "-mod=readonly", "CARGO_TERM_COLOR": "always",
       "JAVA_OPTS": '"-Xmx2g -XX:+UseG1GC"', "TZ": "UTC", "LANG": "C.UTF-8",
       "SENTRY_ENVIRONMENT": "${{ vars.STAGE }}", "API_TOKEN": "${{ secrets.API_TOKEN }}"}
SETUPS = [("actions/setup-node@v4", "node-version", ["18", "20", "22"]),
          ("actions/setup-python@v5", "python-version", ["'3.10'", "'3.11'", "'3.12'"]),
          ("actions/setup-go@v5", "go-version", ["'1.21'", "'1.22'"]),
          ("actions/setup-java@v4", "java-version", ["'17'", "'21'"]),
          ("ruby/setup-ruby@v1", "ruby-version", ["'3.2'", "'3.3'"])]
ONE_LINERS = ["npm ci", "npm test -- --coverage", "make lint", "make test", "go test ./...",
              "bundle exec rspec", "python -m pytest -q", "cargo test --locked", "./gradlew check",
              "pip install -r requirements.txt", "yarn install --frozen-lockfile", "make build"]


class Out:
    """Lines of one file, written with two-space indentation, and the size it should reach."""

    def __init__(self, rng, limit):
        self.rng = rng
        self.limit = limit
        self.lines = []
        self.anchor_count = 0

    def put(self, depth, text):
        self.lines.append("  " * depth + text)

    def comment(self, depth, chance=0.08):
        if self.rng.random() < chance:
            self.put(depth, "# " + " ".join(self.rng.sample(WORDS, 3)) + ": keep in step with the Makefile")

    def anchor(self):
        self.anchor_count += 1
        return f"a{self.anchor_count}"


def script_chunk(rng, app):
    """A few related shell lines; heroku CLI commands when `app` is set."""
    w = rng.choice(WORDS)
    chunks = [
        [f'echo "::group::{w}"', f'make -j"$(nproc)" {w}', 'echo "::endgroup::"'],
        [f'for dir in packages/{w} packages/{rng.choice(WORDS)}; do', '  (cd "$dir" && npm run build)', "done"],
        [f'if [ -f "config/{w}.yml" ]; then', f'  cp "config/{w}.yml" "config/{w}.local.yml"', "fi"],
        [f"python -m pytest tests/{w} -q --maxfail=1 \\", f"  --junitxml=reports/{w}.xml"],
        [f'curl -fsS --retry 3 "https://{w}.example.com/health" | tee health.json', "jq .status health.json"],
        ["cat > .env <<'EOF'", f"SERVICE={w}", f"PORT={rng.randint(3000, 9000)}", "EOF"],
        [f'echo "sha=$(git rev-parse --short HEAD)" >> "$GITHUB_OUTPUT"', f"tar czf {w}.tgz dist/"],
    ]
    if app:
        chunks += [
            [f"heroku container:push web --app {app}", f"heroku container:release web --app {app}"],
            [f"heroku run --app {app} --exit-code -- bundle exec rake db:migrate"],
            [f"heroku ps:scale web={rng.randint(1, 6)} worker={rng.randint(0, 3)} -a {app}"],
            [f"heroku releases -a {app} | head -n 5", f"heroku config:get RELEASE_SHA -a {app}"],
            [f'git push "https://heroku:$HEROKU_API_KEY@git.heroku.com/{app}.git" HEAD:main'],
        ]
    return rng.choice(chunks)


def script(out, depth, lines, app=None):
    """A `run: |` key at `depth` with at least `lines` lines of shell under it."""
    out.put(depth, "run: |")
    written = 0
    while written < max(lines, 1):
        for line in script_chunk(out.rng, app):
            out.put(depth + 1, line)
            written += 1
        if out.rng.random() < 0.1:
            out.lines.append("")


def run_step(out, depth, lines):
    rng = out.rng
    if rng.random() < 0.3:
        out.put(depth, f"- run: {rng.choice(ONE_LINERS)}")
        return
    out.put(depth, f"- name: {rng.choice(['Build', 'Test', 'Check', 'Package'])} {rng.choice(WORDS)}")
    script(out, depth + 1, lines)


def env_block(out, depth, key="env", anchor=None):
    rng = out.rng
    out.put(depth, f"{key}: &{anchor}" if anchor else f"{key}:")
    for k in rng.sample(sorted(ENV), rng.randint(1, 6)):
        out.put(depth + 1, f"{k}: {ENV[k]}")


def setup_step(out, depth):
    rng = out.rng
    action, key, versions = rng.choice(SETUPS)
    out.put(depth, f"- uses: {action}")
    if rng.random() < 0.3:
        out.put(depth + 1, f"with: {{ {key}: {rng.choice(versions)}, cache-dependency-path: lockfile }}")
    else:
        out.put(depth + 1, "with:")
        out.put(depth + 2, f"{key}: {rng.choice(versions)}")


def checkout(out, depth, anchors):
    if "checkout" in anchors:
        out.put(depth, f"- *{anchors['checkout']}")
    elif anchors.get("use") and out.rng.random() < 0.5:
        anchors["checkout"] = out.anchor()
        out.put(depth, f"- &{anchors['checkout']}")
        out.put(depth + 1, "uses: actions/checkout@v4")
        out.put(depth + 1, "with:")
        out.put(depth + 2, "fetch-depth: 0")
    else:
        out.put(depth, "- uses: actions/checkout@v4 # full history is not needed" if out.rng.random() < 0.1
                else "- uses: actions/checkout@v4")


def job_head(out, job_id, anchors, needs=None):
    rng = out.rng
    out.comment(1, 0.3)
    out.put(1, f"{job_id}:")
    out.put(2, f"name: {job_id.replace('-', ' ').title()}")
    if "runner" in anchors:
        out.put(2, f"runs-on: *{anchors['runner']}")
    elif anchors.get("use") and rng.random() < 0.5:
        anchors["runner"] = out.anchor()
        out.put(2, f"runs-on: &{anchors['runner']} ubuntu-22.04")
    else:
        out.put(2, f"runs-on: {rng.choice(['ubuntu-latest', 'ubuntu-22.04', '[self-hosted, linux, x64]'])}")
    if needs:
        out.put(2, f"needs: [{', '.join(needs)}]" if len(needs) > 1 or rng.random() < 0.5 else f"needs: {needs[0]}")
    if rng.random() < 0.4:
        out.put(2, f"timeout-minutes: {rng.choice([10, 15, 30, 45, 60])}")


def ci_job(out, job_id, room, anchors, needs=None):
    rng = out.rng
    job_head(out, job_id, anchors, needs)
    if rng.random() < 0.3:
        env_block(out, 2)
    out.put(2, "steps:")
    checkout(out, 3, anchors)
    setup_step(out, 3)
    for _ in range(max(1, min(room // 12, 12))):
        out.comment(3)
        run_step(out, 3, rng.choice([1, 2, 4, max(1, room // 6)]))
        if len(out.lines) > out.limit:
            break


def matrix_job(out, job_id, room, anchors, needs=None):
    rng = out.rng
    job_head(out, job_id, anchors, needs)
    out.put(2, "strategy:")
    out.put(3, f"fail-fast: {rng.choice(['true', 'false'])}")
    out.put(3, "matrix:")
    out.put(4, "os: [ubuntu-latest, macos-latest, windows-latest]")
    action, key, versions = rng.choice(SETUPS)
    out.put(4, f"{key.split('-')[0]}:")
    for v in versions:
        out.put(5, f"- {v}")
    out.put(4, "include:")
    for i in range(max(1, min(room // 20, 40))):
        if rng.random() < 0.5:
            out.put(5, f"- {{ os: ubuntu-latest, {key.split('-')[0]}: {rng.choice(versions)}, shard: {i} }}")
        else:
            out.put(5, "- os: ubuntu-latest")
            out.put(6, f"{key.split('-')[0]}: {rng.choice(versions)}")
            out.put(6, f"shard: {i}")
            out.put(6, f"experimental: {rng.choice(['true', 'false'])}")
    out.put(2, "steps:")
    checkout(out, 3, anchors)
    out.put(3, f"- uses: {action}")
    out.put(4, "with:")
    out.put(5, f"{key}: ${{{{ matrix.{key.split('-')[0]} }}}}")
    while len(out.lines) < out.limit - 10:
        run_step(out, 3, rng.randint(1, max(2, room // 8)))
        if rng.random() < 0.3:
            break


def heroku_action(out, app, anchors):
    rng = out.rng
    out.put(3, f"- uses: akhileshns/heroku-deploy@{rng.choice(['v3.13.15', 'v3.12.14', 'v3'])}")
    if rng.random() < 0.5:
        out.put(4, "id: deploy")
    out.put(4, "with:")
    out.put(5, "heroku_api_key: ${{ secrets.HEROKU_API_KEY }}")
    out.put(5, f"heroku_app_name: {app}")
    out.put(5, f"heroku_email: {rng.choice(['${{ env.HEROKU_EMAIL }}', 'ops@example.com'])}")
    choice = rng.random()
    if choice < 0.6:
        out.put(5, "dontautocreate: true")
    elif choice < 0.7:
        out.put(5, f"dontautocreate: {rng.choice(['false', 'yes', 'TRUE'])}")
    for key, value in rng.sample([("usedocker", "true"), ("branch", "main"), ("appdir", "services/api"),
                                  ("healthcheck", f"https://{app}.herokuapp.com/health"),
                                  ("procfile", '"web: bin/start"'), ("region", "eu")], rng.randint(0, 3)):
        out.put(5, f"{key}: {value}")


def deploy_job(out, job_id, app, stage, room, anchors, needs):
    rng = out.rng
    job_head(out, job_id, anchors, needs)
    if stage == "production":
        out.put(2, "if: github.ref == 'refs/heads/main' && github.event_name == 'push'")
    roll = rng.random()
    if roll < 0.45:
        out.put(2, f"environment: {stage}")
    elif roll < 0.8:
        out.put(2, "environment:")
        out.put(3, f"name: {stage}")
        out.put(3, f"url: https://{app}.herokuapp.com")
    if rng.random() < 0.4:
        out.put(2, f"concurrency: deploy-{stage}")
    if "deploy_env" in anchors:
        out.put(2, f"env: *{anchors['deploy_env']}")
    elif anchors.get("use"):
        anchors["deploy_env"] = out.anchor()
        env_block(out, 2, anchor=anchors["deploy_env"])
    elif rng.random() < 0.5:
        env_block(out, 2)
    out.put(2, "steps:")
    checkout(out, 3, anchors)
    if rng.random() < 0.5:
        run_step(out, 3, rng.randint(2, max(2, room // 5)))
    if rng.random() < 0.65:
        heroku_action(out, app, anchors)
    else:
        out.put(3, "- uses: heroku/setup-heroku-cli@v1" if rng.random() < 0.3 else "- run: curl https://cli-assets.heroku.com/install.sh | sh")
        out.put(3, "- name: Release")
        out.put(4, "env:")
        out.put(5, "HEROKU_API_KEY: ${{ secrets.HEROKU_API_KEY }}")
        script(out, 4, rng.randint(2, max(2, room // 4)), app)
    if rng.random() < 0.5:
        out.put(3, f"- run: heroku releases --app {app} --num 3")


def pipeline(out, idx, room, anchors, ids):
    """Build, test and deploy jobs for one service: staging then production, with review apps in some."""
    rng = out.rng
    svc = rng.choice(WORDS)
    team = f"acme{idx % 97}" if rng.random() < 0.15 else f"acme-{idx}"
    build = fresh(ids, f"build-{svc}")
    ci_job(out, build, max(20, room // 3), anchors)
    prev = [build]
    for stage in rng.choice([["staging", "production"], ["review", "staging", "production"], ["production"]]):
        job = fresh(ids, f"deploy-{svc}-{stage}")
        deploy_job(out, job, f"{team}-{svc}-{stage}", stage, max(20, room // 4), anchors, prev)
        prev = [job]


def fresh(ids, base):
    name, n = base, 2
    while name in ids:
        name, n = f"{base}-{n}", n + 1
    ids.add(name)
    return name


def header(out, idx, shape):
    rng = out.rng
    if rng.random() < 0.5:
        out.put(0, f"# {shape} workflow {idx}: generated by bench/gen_corpus.py")
    out.put(0, f"name: {shape.title()} {rng.choice(WORDS)} {idx}")
    roll = rng.random()
    if roll < 0.3:
        out.put(0, "on: [push, pull_request]")
    elif roll < 0.45:
        out.put(0, "on: { push: { branches: [main] }, workflow_dispatch: {} }")
    else:
        out.put(0, "on:")
        out.put(1, "push:")
        out.put(2, "branches: [main, 'release/**']")
        if shape == "deploy":
            out.put(2, "tags:")
            out.put(3, "- 'v*'")
        out.put(1, "pull_request:")
        out.put(2, "paths-ignore: ['docs/**', '**.md']")
        if rng.random() < 0.3:
            out.put(1, "schedule:")
            out.put(2, f"- cron: '{rng.randint(0, 59)} {rng.randint(0, 23)} * * 1-5'")
    if rng.random() < 0.5:
        out.put(0, "permissions:")
        out.put(1, "contents: read")
        out.put(1, "deployments: write")
    if rng.random() < 0.3:
        out.put(0, "concurrency: { group: '${{ github.workflow }}-${{ github.ref }}', cancel-in-progress: true }")
    if rng.random() < 0.6:
        env_block(out, 0)
    out.put(0, "jobs:")


def make_file(seed, idx):
    rng = random.Random(seed * 1_000_003 + idx)
    target = int(min(1500, max(20, rng.lognormvariate(math.log(190), 0.85))))
    shape = "ci" if target < 60 else rng.choices(["ci", "matrix", "deploy", "mono"], [20, 25, 40, 15])[0]
    out = Out(rng, target)
    header(out, idx, shape)
    anchors = {"use": rng.random() < 0.25}
    ids = set()
    while len(out.lines) < target and len(ids) < 80:
        room = target - len(out.lines)
        kind = shape if shape != "mono" else rng.choice(["ci", "matrix", "deploy"])
        if kind == "deploy":
            pipeline(out, idx, room, anchors, ids)
        elif kind == "matrix" and room > 40:
            matrix_job(out, fresh(ids, f"test-{rng.choice(WORDS)}"), room, anchors)
        else:
            ci_job(out, fresh(ids, f"{rng.choice(['lint', 'test', 'build'])}-{rng.choice(WORDS)}"), room, anchors)
    return shape, "\n".join(out.lines) + "\n"


def main():
    here = pathlib.Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=here / "out" / "corpus")
    parser.add_argument("--count", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.yml"):
        old.unlink()
    sizes = []
    for idx in range(1, args.count + 1):
        shape, text = make_file(args.seed, idx)
        (args.out / f"{idx:04d}-{shape}.yml").write_text(text)
        sizes.append(text.count("\n"))
    print(f"gen_corpus: {len(sizes)} files in {args.out}, lines min {min(sizes)} mean "
          f"{sum(sizes) // len(sizes)} max {max(sizes)}, {sum(sizes)} in all")


if __name__ == "__main__":
    main()
