#!/usr/bin/env python3
"""Writes a tree for bench/slug.sh: an app's files, deterministic from the seed.

  gen_slug_tree.py --out DIR --bytes N [--seed S]     a mixed tree of about N bytes: source and
      text (compresses about 4:1), native libraries (zeros and tables among random runs, about
      2:1) and wheels and images (already compressed: random bytes), in nested packages
  gen_slug_tree.py --out DIR --files N [--seed S]     N small text files (50 to 2,000 bytes) in
      directories of 100, for memory against the number of files

Prints one line saying what it wrote.
"""

import argparse
import os
import random

WORDS = ("def class import return self async await model torch tensor request response "
         "deploy release slug heroku config value None True False for in if else elif "
         "while try except raise with as lambda yield from print json http status").split()


def text_pool(rng, size):
    out = []
    total = 0
    while total < size:
        line = " " * (4 * rng.randint(0, 3)) + " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 12)))
        out.append(line)
        total += len(line) + 1
    return ("\n".join(out) + "\n").encode()[:size]


def native_chunk(rng, size):
    # Runs of random bytes between zero pages and repeated tables, as in a shared library.
    parts = []
    total = 0
    while total < size:
        kind = rng.random()
        n = rng.randint(256, 16384)
        if kind < 0.45:
            parts.append(rng.randbytes(n))
        elif kind < 0.75:
            parts.append(bytes(n))
        else:
            row = rng.randbytes(rng.randint(8, 64))
            parts.append((row * (n // len(row) + 1))[:n])
        total += n
    return b"".join(parts)[:size]


def mixed(out, budget, rng):
    pool = text_pool(rng, 8 << 20)
    written = files = 0
    package = 0
    while written < budget:
        package += 1
        base = os.path.join(out, "site-packages" if package % 3 else "app", "pkg%04d" % package, "sub%d" % (package % 7))
        os.makedirs(base, exist_ok=True)
        for i in range(rng.randint(5, 40)):
            kind = rng.random()
            if kind < 0.55:  # source and text
                n = int(rng.lognormvariate(8.5, 1.2))
                start = rng.randint(0, len(pool) - 1)
                data = (pool[start:] + pool)[:n]
                name = "mod%03d.py" % i
            elif kind < 0.8:  # native libraries
                n = int(rng.lognormvariate(11.5, 1.3))
                data = native_chunk(rng, n)
                name = "lib%03d.so" % i
            else:  # wheels, images, archives: already compressed
                n = int(rng.lognormvariate(11.0, 1.4))
                data = rng.randbytes(n)
                name = "asset%03d.whl" % i
            n = min(len(data), budget - written)
            with open(os.path.join(base, name), "wb") as f:
                f.write(data[:n])
            written += n
            files += 1
            if written >= budget:
                break
    return "%d files, %.2f GB in %s" % (files, written / 1e9, out)


def many(out, count, rng):
    pool = text_pool(rng, 1 << 20)
    for i in range(count):
        d = os.path.join(out, "d%04d" % (i // 100000), "e%03d" % ((i // 100) % 1000))
        if i % 100 == 0:
            os.makedirs(d, exist_ok=True)
        n = rng.randint(50, 2000)
        start = rng.randint(0, len(pool) - n)
        with open(os.path.join(d, "f%02d.txt" % (i % 100)), "wb") as f:
            f.write(pool[start:start + n])
    return "%d files in %s" % (count, out)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--bytes", type=int)
    g.add_argument("--files", type=int)
    a = p.parse_args()
    rng = random.Random(a.seed)
    random.seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    print("gen_slug_tree: " + (mixed(a.out, a.bytes, rng) if a.bytes else many(a.out, a.files, rng)))


if __name__ == "__main__":
    main()
