#!/usr/bin/env python3
"""The hello answer as a Python worker script (docs/workers.md), one request at a time.

A request line begins with {"id":"<id>", so the id is a slice of the line: no JSON parsing per request.
"""
import sys

ANSWER = b'","responseCode":200,"responseBody":"{\\"message\\":\\"hello from a udapi worker\\"}"}\n'
read, write, flush = sys.stdin.buffer.readline, sys.stdout.buffer.write, sys.stdout.buffer.flush
while True:
    line = read()
    if not line:
        break
    write(b'{"id":"' + line[7:line.index(b'"', 7)] + ANSWER)
    flush()
