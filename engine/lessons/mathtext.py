"""A small LaTeX subset rendered as rich text (HTML that Qt's labels and any browser draw), so a
lesson's equations read as mathematics in the app instead of raw LaTeX.

Supported: letters and digits (variables in italics), `^` and `_` with one character or a
{group}, \\frac{a}{b}, \\sqrt{x}, \\mathbf / \\boldsymbol (bold), \\mathrm / \\text /
\\operatorname (upright), \\mathcal{R} (script), \\left( \\right) (and [ ] |), Greek letters,
\\sum \\prod \\exp \\log \\max \\min \\softmax-style names, and the usual relations and dots.
Anything else raises `MathError` naming the command, so `mlsp lesson check` catches typos.
"""
from __future__ import annotations

import html

GREEK = {name: chr(code) for name, code in [
    ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4), ("epsilon", 0x3B5), ("varepsilon", 0x3B5),
    ("zeta", 0x3B6), ("eta", 0x3B7), ("theta", 0x3B8), ("iota", 0x3B9), ("kappa", 0x3BA), ("lambda", 0x3BB),
    ("mu", 0x3BC), ("nu", 0x3BD), ("xi", 0x3BE), ("pi", 0x3C0), ("rho", 0x3C1), ("sigma", 0x3C3), ("tau", 0x3C4),
    ("phi", 0x3C6), ("varphi", 0x3C6), ("chi", 0x3C7), ("psi", 0x3C8), ("omega", 0x3C9), ("Gamma", 0x393),
    ("Delta", 0x394), ("Theta", 0x398), ("Lambda", 0x39B), ("Pi", 0x3A0), ("Sigma", 0x3A3), ("Phi", 0x3A6),
    ("Psi", 0x3A8), ("Omega", 0x3A9)]}
SYMBOLS = {"sum": "∑", "prod": "∏", "cdot": "·", "times": "×", "in": "∈", "to": "→", "rightarrow": "→",
           "leftarrow": "←", "approx": "≈", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠",
           "ell": "ℓ", "setminus": "∖", "infty": "∞",
           "partial": "∂", "nabla": "∇", "top": "⊤", "ldots": "…", "dots": "…", "cdots": "⋯", "quad": "\u2003",
           "qquad": "\u2003\u2003", ",": "\u2009", ";": "\u2005", " ": " ", "|": "‖", "langle": "⟨", "rangle": "⟩",
           "sim": "∼", "propto": "∝", "odot": "⊙", "oplus": "⊕", "forall": "∀", "mid": "|", "lVert": "‖",
           "rVert": "‖", "{": "{", "}": "}", "%": "%", "_": "_", "#": "#", "&": "&amp;"}
RELATIONS = {"in", "to", "rightarrow", "leftarrow", "approx", "leq", "le", "geq", "ge", "neq", "sim", "propto"}
NAMES = {"exp", "log", "max", "min", "arg", "argmax", "argmin", "softmax", "tanh", "sigmoid", "sin", "cos",
         "lim", "det", "Attention", "MultiHead", "Concat", "head", "FFN", "LayerNorm", "KL", "sim", "MSE"}
SCRIPT = {"R": "ℝ", "L": "ℒ", "N": "𝒩", "D": "𝒟", "X": "𝒳", "Y": "𝒴", "H": "ℋ", "E": "ℰ", "C": "𝒞"}
STYLE = {"mathbf": "b", "boldsymbol": "b", "bm": "b", "mathrm": "span", "text": "span", "operatorname": "span",
         "mathit": "i"}


class MathError(ValueError):
    """The formula uses something the renderer does not know, or its braces do not balance."""


def to_html(tex: str) -> str:
    """One formula as inline rich text."""
    parser = _Parser(tex)
    out = parser.sequence(stop=None)
    if parser.pos < len(tex):
        raise MathError(f"unexpected '{tex[parser.pos]}' at position {parser.pos + 1} of {tex!r}")
    return out


def inline_html(text: str) -> str:
    """A paragraph with $...$ formulas: the text escaped, each formula rendered."""
    parts = text.split("$")
    if len(parts) % 2 == 0:
        raise MathError("a '$' has no closing '$'")
    return "".join(to_html(p) if i % 2 else html.escape(p) for i, p in enumerate(parts))


class _Parser:
    def __init__(self, tex: str) -> None:
        self.tex, self.pos = tex, 0

    def sequence(self, stop: str | None) -> str:
        out = []
        while self.pos < len(self.tex):
            ch = self.tex[self.pos]
            if stop is not None and ch == stop:
                return "".join(out)
            if ch == "}":
                raise MathError(f"a '}}' at position {self.pos + 1} closes nothing in {self.tex!r}")
            out.append(self.atom())
        if stop is not None:
            raise MathError(f"a '{{' is not closed in {self.tex!r}")
        return "".join(out)

    def group(self) -> str:
        """{...} or one atom (for ^, _, \\frac arguments)."""
        self.skip_spaces()
        if self.pos >= len(self.tex):
            raise MathError(f"{self.tex!r} ends where an argument was expected")
        if self.tex[self.pos] == "{":
            self.pos += 1
            inner = self.sequence(stop="}")
            self.pos += 1
            return inner
        return self.atom()

    def raw_group(self) -> str:
        self.skip_spaces()
        if self.pos < len(self.tex) and self.tex[self.pos] == "{":
            end = self.tex.find("}", self.pos)
            if end < 0:
                raise MathError(f"a '{{' is not closed in {self.tex!r}")
            text, self.pos = self.tex[self.pos + 1:end], end + 1
            return text
        ch = self.tex[self.pos]
        self.pos += 1
        return ch

    def skip_spaces(self) -> None:
        while self.pos < len(self.tex) and self.tex[self.pos] == " ":
            self.pos += 1

    def atom(self) -> str:
        ch = self.tex[self.pos]
        self.pos += 1
        if ch == "\\":
            return self.command()
        if ch == "{":
            inner = self.sequence(stop="}")
            self.pos += 1
            return inner
        if ch in "^_":
            tag = "sup" if ch == "^" else "sub"
            return f"<{tag}>{self.group()}</{tag}>"
        if ch == " ":
            return ""
        if ch.isalpha():
            return f"<i>{html.escape(ch)}</i>"
        if ch == "'":
            return "′"
        if ch == "-":
            return " − "
        if ch in "=+<>":
            return f" {html.escape(ch)} "
        if ch == ",":
            return ", "
        return html.escape(ch)

    def command(self) -> str:
        start = self.pos
        if self.pos < len(self.tex) and not self.tex[self.pos].isalpha():
            self.pos += 1
            name = self.tex[start:self.pos]
        else:
            while self.pos < len(self.tex) and self.tex[self.pos].isalpha():
                self.pos += 1
            name = self.tex[start:self.pos]
        if name in GREEK:
            return f"<i>{GREEK[name]}</i>" if name[0].islower() else GREEK[name]
        if name in SYMBOLS:
            sym = SYMBOLS[name]
            return f" {sym} " if name in RELATIONS else sym
        if name in NAMES:
            return name
        if name == "frac":
            num, den = self.group(), self.group()
            return f"{_wrap(num)} / {_wrap(den)}"
        if name == "sqrt":
            return f"√<span style='text-decoration: overline'>{self.group()}</span>"
        if name in STYLE:
            tag = STYLE[name]
            if tag == "span":
                return html.escape(self.raw_group())
            inner = self.group()
            return f"<b>{inner.replace('<i>', '').replace('</i>', '')}</b>" if tag == "b" else f"<i>{inner}</i>"
        if name == "mathcal":
            letter = self.raw_group()
            return SCRIPT.get(letter, html.escape(letter))
        if name in ("left", "right", "big", "Big", "bigg"):
            return self.atom() if self.pos < len(self.tex) else ""
        if name in ("hat", "tilde", "bar", "vec"):
            mark = {"hat": "\u0302", "tilde": "\u0303", "bar": "\u0304", "vec": "\u20d7"}[name]
            return f"{self.group()}{mark}"
        raise MathError(f"unknown command \\{name} in {self.tex!r}")


def _wrap(fragment: str) -> str:
    """Parentheses around a fraction's part only when it is a sum or difference."""
    plain = _plain(fragment)
    return f"({fragment})" if any(op in plain for op in (" + ", " − ")) else fragment


def _plain(fragment: str) -> str:
    """Visible characters of a rendered fragment (tags dropped)."""
    out, inside = [], False
    for ch in fragment:
        if ch == "<":
            inside = True
        elif ch == ">":
            inside = False
        elif not inside:
            out.append(ch)
    return "".join(out)
