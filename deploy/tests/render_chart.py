#!/usr/bin/env python3
"""Renders deploy/helm/cellar without helm, for CI machines that lack it.

Implements the subset of Go templates + Sprig the chart uses (if/else/with/
range/define/include, pipelines, variables and the functions in FUNCS). An
unknown function or syntax is an error, so the chart cannot silently outgrow
this renderer. Usage: render_chart.py CHART_DIR [--set a.b=value ...]
Prints the manifests as one multi-document YAML stream.
"""
import base64
import hashlib
import math
import os
import re
import sys

import yaml

ACTION = re.compile(r"\{\{(-?)\s*(.*?)\s*(-?)\}\}", re.S)


def tokenize(text):
    """[('text', s) | ('action', s)] with {{- and -}} whitespace trimming applied."""
    out, pos = [], 0
    for m in ACTION.finditer(text):
        chunk = text[pos:m.start()]
        if m.group(1):
            chunk = chunk.rstrip()
        out.append(["text", chunk])
        out.append(["action", m.group(2), bool(m.group(3))])
        pos = m.end()
    out.append(["text", text[pos:]])
    for i, tok in enumerate(out):
        if tok[0] == "action" and tok[2] and i + 1 < len(out):
            out[i + 1][1] = out[i + 1][1].lstrip()
    return [(t[0], t[1]) for t in out]


def parse(tokens, i=0, stop=("end",)):
    """Returns (nodes, index after the closing action, closing keyword)."""
    nodes = []
    while i < len(tokens):
        kind, s = tokens[i]
        i += 1
        if kind == "text":
            nodes.append(("text", s))
            continue
        if s.startswith("/*"):
            continue
        word = s.split(None, 1)[0] if s else ""
        if word in stop or (word == "else" and "else" in stop):
            return nodes, i, s
        if word in ("if", "with", "range"):
            body, i, closer = parse(tokens, i, ("end", "else"))
            other = []
            if closer.startswith("else"):
                other, i, _ = parse(tokens, i, ("end",))
            nodes.append((word, s[len(word):].strip(), body, other))
        elif word == "define":
            body, i, _ = parse(tokens, i, ("end",))
            nodes.append(("define", s.split(None, 1)[1].strip().strip('"'), body))
        else:
            nodes.append(("action", s))
    return nodes, i, None


def split_top(s, sep):
    """Splits on sep outside quotes and parentheses."""
    parts, depth, quote, cur = [], 0, None, ""
    for ch in s:
        if quote:
            cur += ch
            if ch == quote:
                quote = None
        elif ch in "\"'`":
            quote, cur = ch, cur + ch
        elif ch == "(":
            depth, cur = depth + 1, cur + ch
        elif ch == ")":
            depth, cur = depth - 1, cur + ch
        elif depth == 0 and (ch == sep if sep != " " else ch.isspace()):
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def truthy(v):
    return bool(v) if not isinstance(v, (int, float)) or isinstance(v, bool) else v != 0


def to_yaml(v):
    return yaml.safe_dump(v, default_flow_style=False, sort_keys=True).rstrip("\n").removesuffix("\n...")


FUNCS = {
    "quote": lambda v: '"%s"' % str(v).replace('"', '\\"'),
    "nindent": lambda n, s: "\n" + "\n".join(" " * n + line for line in str(s).split("\n")),
    "indent": lambda n, s: "\n".join(" " * n + line for line in str(s).split("\n")),
    "default": lambda d, v=None: v if truthy(v) else d,
    "toYaml": to_yaml,
    "not": lambda v: not truthy(v),
    "and": lambda *a: all(truthy(x) for x in a),
    "or": lambda *a: any(truthy(x) for x in a),
    "eq": lambda a, b: a == b,
    "printf": lambda f, *a: f % a,
    "trunc": lambda n, s: s[:n],
    "trimSuffix": lambda suf, s: s[: -len(suf)] if suf and s.endswith(suf) else s,
    "contains": lambda sub, s: sub in s,
    "sha256sum": lambda s: hashlib.sha256(str(s).encode()).hexdigest(),
    "b64enc": lambda s: base64.b64encode(str(s).encode()).decode(),
    "join": lambda sep, items: sep.join(str(x) for x in items),
    "addf": lambda *a: float(sum(float(x) for x in a)),
    "mulf": lambda *a: float(math.prod(float(x) for x in a)),
    "ceil": lambda v: float(math.ceil(float(v))),
    "int": lambda v: int(v),
}


class Renderer:
    def __init__(self, root):
        self.root, self.defines = root, {}

    def value(self, tok, dot, scope):
        if tok.startswith("(") and tok.endswith(")"):
            return self.pipeline(tok[1:-1], dot, scope)
        if tok[0] in "\"`":
            return tok[1:-1].replace('\\"', '"')
        if re.fullmatch(r"-?\d+", tok):
            return int(tok)
        if re.fullmatch(r"-?\d+\.\d*", tok):
            return float(tok)
        if tok in ("true", "false"):
            return tok == "true"
        if tok.startswith("$"):
            name, _, path = tok.partition(".")
            base = scope[name] if name != "$" else self.root
            return self.walk(base, path)
        if tok.startswith("."):
            return self.walk(dot, tok[1:])
        raise ValueError("unsupported template token: " + tok)

    @staticmethod
    def walk(base, path):
        for key in filter(None, path.split(".")):
            base = base.get(key) if isinstance(base, dict) else None
        return base

    def command(self, cmd, dot, scope, piped):
        args = split_top(cmd, " ")
        name = args[0]
        if name == "include":
            vals = [self.value(a, dot, scope) for a in args[1:]]
            return self.render(self.defines[vals[0]], vals[1], {})
        if name in FUNCS:
            vals = [self.value(a, dot, scope) for a in args[1:]] + piped
            return FUNCS[name](*vals)
        if len(args) == 1 and not piped:
            return self.value(name, dot, scope)
        raise ValueError("unsupported template function: " + name)

    def pipeline(self, expr, dot, scope):
        var = None
        m = re.match(r"(\$\w+)\s*:?=\s*(.*)", expr, re.S)
        if m:
            var, expr = m.group(1), m.group(2)
        piped = []
        for cmd in split_top(expr, "|"):
            piped = [self.command(cmd, dot, scope, piped)]
        if var:
            scope[var] = piped[0]
            return ""
        return piped[0]

    def render(self, nodes, dot, scope):
        out = []
        for node in nodes:
            kind = node[0]
            if kind == "text":
                out.append(node[1])
            elif kind == "action":
                v = self.pipeline(node[1], dot, scope)
                out.append("" if v is None else str(v))
            elif kind == "define":
                self.defines[node[1]] = node[2]
            elif kind == "if":
                cond = self.pipeline(node[1], dot, scope)
                out.append(self.render(node[2] if truthy(cond) else node[3], dot, scope))
            elif kind == "with":
                v = self.pipeline(node[1], dot, scope)
                out.append(self.render(node[2], v, scope) if truthy(v) else self.render(node[3], dot, scope))
            elif kind == "range":
                items = self.pipeline(node[1], dot, scope) or []
                out.append("".join(self.render(node[2], item, dict(scope)) for item in items))
        return "".join(out)


def set_value(values, assignment):
    path, _, raw = assignment.partition("=")
    keys = path.split(".")
    for k in keys[:-1]:
        values = values.setdefault(k, {})
    values[keys[-1]] = yaml.safe_load(raw)


def render_chart(chart_dir, sets=(), release="cellar"):
    chart = yaml.safe_load(open(os.path.join(chart_dir, "Chart.yaml")))
    values = yaml.safe_load(open(os.path.join(chart_dir, "values.yaml")))
    for s in sets:
        set_value(values, s)
    root = {"Values": values, "Release": {"Name": release, "Service": "Helm", "Namespace": "default"},
            "Chart": {"Name": chart["name"], "Version": chart["version"], "AppVersion": chart["appVersion"]}}
    r = Renderer(root)
    tdir = os.path.join(chart_dir, "templates")
    names = sorted(os.listdir(tdir))
    for name in names:  # defines first, as helm does
        if name.endswith(".tpl"):
            r.render(parse(tokenize(open(os.path.join(tdir, name)).read()))[0], root, {})
    docs = {}
    for name in names:
        if name.endswith(".yaml"):
            text = r.render(parse(tokenize(open(os.path.join(tdir, name)).read()))[0], root, {})
            docs[name] = text
    return docs


if __name__ == "__main__":
    args = sys.argv[1:]
    sets = [args[i + 1] for i, a in enumerate(args) if a == "--set"]
    for name, text in render_chart(args[0], sets).items():
        if text.strip():
            print("---\n# Source: cellar/templates/%s\n%s" % (name, text.strip("\n")))
