#!/usr/bin/env python3
"""Writes adversarial workflow files at shipgate's input caps (4 MiB, 250,000 nodes), one per
shape that once made work grow faster than linearly, for bench/adversarial.sh."""
import argparse
import os

CAP = 4 * 1024 * 1024 - 4096


def fill(head, piece, limit=CAP):
    parts, size, i = [head], len(head), 0
    while True:
        p = piece(i)
        if size + len(p) > limit:
            return "".join(parts)
        parts.append(p)
        size += len(p)
        i += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    out = ap.parse_args().out
    os.makedirs(out, exist_ok=True)
    files = {}
    # Many script steps: finding a block scalar's indicator once rescanned the file per step.
    files["run-steps"] = fill("on: push\njobs:\n  a:\n    steps:\n",
                              lambda i: f"      - run: |\n          echo {i}\n          heroku container:release web -a app-{i % 7}\n")
    # Long needs chains: deploy jobs that all need the end of a dense chain (ordering was cubic).
    head = "on: push\njobs:\n" + "".join(
        f"  h{i}:\n" + (f"    needs: [{', '.join(f'h{k}' for k in range(i))}]\n" if i else "") + "    steps: [{run: make}]\n"
        for i in range(300))
    files["needs-chains"] = head + "".join(
        f"  d{i}:\n    needs: [h299]\n    steps: [{{run: heroku container:release web -a same}}]\n" for i in range(20000))
    # A megabyte environment name against 2,000 environments ("did you mean" was length x length).
    files["long-environment"] = ("on: push\njobs:\n  d:\n    environment: " + "p" * (3 << 20) +
                                 "\n    steps: [{run: x}]\n")
    with open(os.path.join(out, "long-environment.envs"), "w") as f:
        f.write("".join(f"- environment-{i}\n" for i in range(2000)))
    # Many suppression comments and quoted values that look like them.
    files["suppressions"] = fill("on: push\njobs:\n  a:\n    steps:\n",
                                 lambda i: f"      # shipgate: ignore[heroku-autocreate] reason {i}\n"
                                           f"      - run: \"echo '# shipgate: ignore[heroku-autocreate]' {i}\"\n")
    # Every deploy job with an environment and an unresolvable app, many workflows' worth in one.
    files["many-jobs"] = fill("on: push\njobs:\n",
                              lambda i: f"  j{i}:\n    environment: env-{i}\n    steps:\n"
                                        f"      - uses: akhileshns/heroku-deploy@v3.13.15\n"
                                        f"        with: {{heroku_app_name: app-{i}, dontautocreate: true}}\n",
                              limit=2 * 1024 * 1024)
    for name, text in files.items():
        with open(os.path.join(out, name + ".yml"), "w") as f:
            f.write(text)
    repos = call_repos()
    for name, tree in repos.items():
        for path, text in tree.items():
            full = os.path.join(out, name + ".repo", path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(text)
    print(f"gen_adversarial: {len(files)} files and {len(repos)} repositories in {out}")


SHIP = ("inputs:\n  app: {required: true}\n  create: {default: 'false'}\nruns:\n  using: composite\n  steps:\n"
        "    - uses: akhileshns/heroku-deploy@v3.13.15\n"
        "      with: {heroku_app_name: '${{ inputs.app }}', dontautocreate: '${{ inputs.create }}'}\n")


def call_repos():
    """Repositories whose workflow (.github/workflows/main.yml) calls local actions: each call
    evaluates the callee again, so these are the shapes that could multiply work."""
    repos = {}
    # Every step of a 4 MiB workflow calls the same action with its own app.
    repos["call-fanout"] = {
        ".github/actions/ship/action.yml": SHIP,
        ".github/workflows/main.yml": fill("on: push\njobs:\n  a:\n    steps:\n",
                                           lambda i: f"      - uses: ./.github/actions/ship\n"
                                                     f"        with: {{app: app-{i}}}\n",
                                           limit=2 * 1024 * 1024),  # past this the node cap refuses it
    }
    # A 4 MiB composite action of script steps, called from many steps.
    big = fill("inputs:\n  app: {required: true}\nruns:\n  using: composite\n  steps:\n",
               lambda i: f"    - shell: bash\n      run: |\n        echo {i}\n"
                         f"        heroku container:release web -a ${{{{ inputs.app }}}}-{i % 7}\n")
    repos["call-big-callee"] = {
        ".github/actions/big/action.yml": big,
        ".github/workflows/main.yml": "on: push\njobs:\n  a:\n    steps:\n" + "".join(
            f"      - uses: ./.github/actions/big\n        with: {{app: app-{i}}}\n" for i in range(64)),
    }
    # Each action calls the next one twice, twelve levels deep: 2^12 calls from one step.
    tree = {f".github/actions/t{i}/action.yml":
            f"runs:\n  using: composite\n  steps:\n    - uses: ./.github/actions/t{i + 1}\n"
            f"    - uses: ./.github/actions/t{i + 1}\n" for i in range(12)}
    tree[".github/actions/t12/action.yml"] = SHIP
    tree[".github/workflows/main.yml"] = ("on: push\njobs:\n  a:\n    steps:\n"
                                          "      - uses: ./.github/actions/t0\n        with: {app: x}\n")
    repos["call-tree"] = tree
    return repos


if __name__ == "__main__":
    main()
