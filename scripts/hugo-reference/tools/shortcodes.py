#!/usr/bin/env python3
"""List the shortcode names a content dir uses and how (paired / unpaired).

usage: shortcodes.py CONTENT_DIR  -> JSON {name: {"open": n, "selfclose": n, "close": n}}
Escaped shortcodes ({{</* x */>}}, {{%/* x */%}}) are ignored, as Hugo does not execute them.
Shortcodes inside code blocks are counted: Hugo parses shortcodes everywhere in the body.
"""
import json, os, re, sys

TAG = re.compile(r'\{\{([<%])(?!\s*/\*)\s*(/)?\s*([A-Za-z0-9_][A-Za-z0-9_./-]*)(.*?)(/)?\s*[>%]\}\}', re.S)

def main(root):
    names = {}
    for dp, _, fs in os.walk(root):
        for f in fs:
            if not f.endswith('.md'):
                continue
            text = open(os.path.join(dp, f), encoding='utf-8', errors='replace').read()
            for m in TAG.finditer(text):
                closing, name, selfclose = m.group(2), m.group(3), m.group(5)
                d = names.setdefault(name, {"open": 0, "selfclose": 0, "close": 0})
                if closing:
                    d["close"] += 1
                elif selfclose:
                    d["selfclose"] += 1
                else:
                    d["open"] += 1
    json.dump(names, sys.stdout, indent=1, sort_keys=True)

main(sys.argv[1])
