#!/usr/bin/env python3
"""Embed the schema migrations (.sql files, in order) into a C file as
st_migrations[], so the binary carries its own schema."""
import sys

out, files = sys.argv[1], sorted(sys.argv[2:])
with open(out, "w") as f:
    f.write("/* Generated from src/core/migrations/ by embed-sql.py. */\n")
    f.write('#include "storage.h"\n\nconst char *const st_migrations[] = {\n')
    for path in files:
        text = open(path, encoding="utf-8").read()
        f.write("\t/* %s */\n\t\"" % path.rsplit("/", 1)[-1])
        for ch in text:
            if ch == "\\" or ch == '"':
                f.write("\\" + ch)
            elif ch == "\n":
                f.write('\\n"\n\t"')
            elif ch == "\t":
                f.write("\\t")
            else:
                f.write(ch)
        f.write('",\n')
    f.write("};\nconst int st_nmigrations = %d;\n" % len(files))
