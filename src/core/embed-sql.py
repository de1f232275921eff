#!/usr/bin/env python3
"""Embed the schema migrations (.sql files, in order) into a C file as
st_migrations[], so the binary carries its own schema. Each is a char array,
not a string literal: C17 promises string literals only up to 4095 bytes."""
import sys


def char(b):
    """Byte B as a C character constant, any byte on any char signedness."""
    c = chr(b)
    if c in "'\\" or not 32 <= b < 127:
        return "'\\x%02x'," % b
    return "'%s'," % c


out, files = sys.argv[1], sorted(sys.argv[2:])
with open(out, "w") as f:
    f.write("/* Generated from src/core/migrations/ by embed-sql.py. */\n")
    f.write('#include "storage.h"\n')
    for i, path in enumerate(files):
        data = open(path, "rb").read() + b"\0"
        f.write("\n/* %s */\nstatic const char m%d[] = {" %
                (path.rsplit("/", 1)[-1], i))
        for j in range(0, len(data), 12):
            f.write("\n\t" + " ".join(char(b) for b in data[j:j + 12]))
        f.write("\n};\n")
    f.write("\nconst char *const st_migrations[] = {")
    f.write("".join(" m%d," % i for i in range(len(files))))
    f.write(" };\nconst int st_nmigrations = %d;\n" % len(files))
