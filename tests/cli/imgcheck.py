#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""imgcheck.py - checks on images for the CLI tests, standard library only.

    imgcheck.py png FILE WIDTH HEIGHT   a valid PNG (signature, chunk CRCs,
                                        IHDR, image data that inflates) of
                                        that size
    imgcheck.py svg FILE...             each parses as XML with an <svg> root
    imgcheck.py charts DIR WIDTH HEIGHT NAME...
                                        both: DIR/charts/NAME.png and NAME.svg
    imgcheck.py ink FILE MIN_INK MIN_CHART
                                        an RGB(A) PNG screenshot that is not blank:
                                        at least a fraction MIN_INK of its pixels
                                        are not white, and at least MIN_CHART
                                        pixels are purple or green like gnuplot's
                                        first two lines (#9400d3, #009e73), which
                                        the page itself never uses: the charts
                                        were drawn
Exit status 1 with a message on the first failure.
"""
import struct
import sys
import xml.etree.ElementTree as ET
import zlib


def fail(msg):
    print(f"imgcheck: {msg}", file=sys.stderr)
    sys.exit(1)


def read_png(path):
    try:
        data = open(path, "rb").read()
    except OSError as e:
        fail(f"{path}: {e.strerror}")
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path}: not a PNG (bad signature)")
    pos, chunks = 8, []
    while pos < len(data):
        if pos + 8 > len(data):
            fail(f"{path}: truncated chunk header")
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        (crc,) = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        if len(body) != n or zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            fail(f"{path}: bad {kind!r} chunk")
        chunks.append((kind, body))
        pos += 12 + n
        if kind == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        fail(f"{path}: IHDR first and IEND last expected")
    w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    raw = zlib.decompress(b"".join(b for k, b in chunks if k == b"IDAT"))
    return w, h, depth, ctype, interlace, raw, chunks


def unfilter(f, line, prev, bpp):
    """Undo one scanline's PNG filter (RFC 2083, 6.3)."""
    n = len(line)
    if f == 0:
        return line
    if f == 2:
        return bytearray((x + y) & 255 for x, y in zip(line, prev))
    out = bytearray(line)
    for i in range(n):
        a = out[i - bpp] if i >= bpp else 0
        if f == 1:
            out[i] = (out[i] + a) & 255
        elif f == 3:
            out[i] = (out[i] + ((a + prev[i]) >> 1)) & 255
        else:
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            out[i] = (out[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    return out


def ink(path):
    """(pixels, not white, in the charts' line colours) of an 8-bit RGB/RGBA PNG."""
    w, h, depth, ctype, interlace, raw, _ = read_png(path)
    if depth != 8 or interlace or ctype not in (2, 6):
        fail(f"{path}: only 8-bit non-interlaced RGB(A) PNGs are analysed")
    bpp = 3 if ctype == 2 else 4
    stride = w * bpp
    prev, pos, dark, chart = bytearray(stride), 0, 0, 0
    for _ in range(h):
        line = unfilter(raw[pos], bytearray(raw[pos + 1:pos + 1 + stride]), prev, bpp)
        pos += 1 + stride
        prev = line
        r, g, b = line[0::bpp], line[1::bpp], line[2::bpp]
        for x, y, z in zip(r, g, b):
            dark += min(x, y, z) < 245
            chart += (x > y + 60 and z > y + 60) or (y > x + 60 and y > z + 20)
    return w * h, dark, chart


def check_svg(path):
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        fail(f"{path}: not well-formed XML: {e}")
    if not root.tag.endswith("svg"):
        fail(f"{path}: root element is {root.tag}, not svg")


def main():
    if len(sys.argv) < 3:
        fail(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "png":
        w, h = read_png(args[0])[:2]
        if (w, h) != (int(args[1]), int(args[2])):
            fail(f"{args[0]}: {w}x{h}, want {args[1]}x{args[2]}")
    elif cmd == "svg":
        for path in args:
            check_svg(path)
    elif cmd == "charts":
        d, w, h = args[0], int(args[1]), int(args[2])
        for name in args[3:]:
            size = read_png(f"{d}/charts/{name}.png")[:2]
            if size != (w, h):
                fail(f"{d}/charts/{name}.png: {size[0]}x{size[1]}, want {w}x{h}")
            check_svg(f"{d}/charts/{name}.svg")
    elif cmd == "ink":
        n, dark, chart = ink(args[0])
        print(f"{args[0]}: {dark / n:.1%} ink, {chart} pixels in chart colours")
        if dark / n < float(args[1]) or chart < int(args[2]):
            fail(f"{args[0]}: looks blank ({dark / n:.1%} ink, {chart} pixels in chart colours)")
    else:
        fail(f"unknown check {cmd}")


if __name__ == "__main__":
    main()
