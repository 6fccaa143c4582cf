#!/usr/bin/env python3
"""What parsing only the sections a content rule reads could save at best.

    bench/content-only.py DESIGNGATE SRC DST [CONFIG]

Copies every .md of SRC to DST with the body of each section deleted
unless a rule claims the section or one of its ancestors (as `designgate
outline --format json` with CONFIG, default SRC/prr-config.toml, says):
headings, front matter and the claimed sections stay, line for line.
Timing `designgate check` over DST against SRC (bench/speed.sh's KEPs:
SRC=/tmp/designgate-speed/keps) bounds what a parse limited to those
sections could gain: it would still need an outline pass over what DST
lacks. The findings over DST differ (links in deleted text are gone); the
copy is for timing only. Prints the share of bytes kept.
"""
import json
import os
import shutil
import subprocess
import sys


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    dg, src, dst = sys.argv[1:4]
    config = sys.argv[4] if len(sys.argv) > 4 else os.path.join(src, "prr-config.toml")
    kept = dropped = 0
    for root, _, files in os.walk(src):
        for name in files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)
            out = os.path.join(dst, rel)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            if not name.endswith(".md"):
                shutil.copyfile(path, out)
                continue
            run = subprocess.run([dg, "outline", "--config", config, "--format", "json", path],
                                 capture_output=True, text=True)
            try:
                sections = json.loads(run.stdout)["sections"]
            except (ValueError, KeyError):
                sections = []
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = f.read().split("\n")
            claimed = [False] * len(sections)
            for i, s in enumerate(sections):
                if s["rules"]:
                    claimed[i] = True
                    for j in range(i + 1, len(sections)):
                        if sections[j]["level"] <= s["level"]:
                            break
                        claimed[j] = True
            keep = [True] * len(lines)
            for i, s in enumerate(sections):
                if claimed[i]:
                    continue
                # Lines are 1-based: the body runs from the line after the
                # heading (after a setext heading's underline) to the line
                # before the next heading.
                start = s["line"]
                if start < len(lines) and lines[start].strip() and set(lines[start].strip()) <= set("=-"):
                    start += 1
                end = sections[i + 1]["line"] - 1 if i + 1 < len(sections) else len(lines)
                for k in range(start, min(end, len(lines))):
                    keep[k] = False
            for line, k in zip(lines, keep):
                if k:
                    kept += len(line) + 1
                else:
                    dropped += len(line) + 1
            with open(out, "w", encoding="utf-8") as f:
                f.write("\n".join(l for l, k in zip(lines, keep) if k))
    print(f"kept {kept} of {kept + dropped} bytes ({100 * kept / max(1, kept + dropped):.1f} %)")


if __name__ == "__main__":
    main()
