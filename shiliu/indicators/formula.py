"""The small, safe expression language of formula indicators — a tokenizer and a recursive-descent parser of our
own; nothing is ever handed to ``eval``.

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := "-" unary | primary
    primary    := number | name | name "(" expression ("," expression)* ")" | "(" expression ")"

Names are codes of data elements or indicators (``[a-z][a-z0-9_]*``); the functions are ``min``, ``max``, ``abs``.
A missing input or a division by zero makes the value undefined (``None``), never 0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

NAME = re.compile(r"[a-z][a-z0-9_]*")
_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+*/(),]))")
FUNCTIONS: dict[str, Callable[..., float]] = {"min": min, "max": max, "abs": abs}
MAX_LENGTH = 400
MAX_DEPTH = 40


class FormulaError(ValueError):
    """A formula that cannot be read; the message says where, in Chinese through gettext."""


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Node, ...]


Node = Num | Ref | Neg | BinOp | Call


def tokenize(text: str) -> list[tuple[str, str, int]]:
    if len(text) > MAX_LENGTH:
        raise FormulaError(_("The formula is longer than %(n)d characters.") % {"n": MAX_LENGTH})
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise FormulaError(
                _("Unexpected character “%(char)s” at position %(pos)d.")
                % {"char": text[pos].strip() or " ", "pos": pos + 1}
            )
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind), match.start(kind) + 1))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, int]]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise FormulaError(_("The formula ends too early."))
        if value is not None and token[1] != value:
            raise FormulaError(
                _("Expected “%(want)s” at position %(pos)d, found “%(got)s”.")
                % {"want": value, "pos": token[2], "got": token[1]}
            )
        self.i += 1
        return token

    def expression(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(_("The formula is nested too deeply."))
        node = self.term()
        while (t := self.peek()) is not None and t[1] in "+-" and t[0] == "op":
            self.take()
            node = BinOp(t[1], node, self.term())
        self.depth -= 1
        return node

    def term(self) -> Node:
        node = self.unary()
        while (t := self.peek()) is not None and t[1] in "*/" and t[0] == "op":
            self.take()
            node = BinOp(t[1], node, self.unary())
        return node

    def unary(self) -> Node:
        t = self.peek()
        if t is not None and t[1] == "-":
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise FormulaError(_("The formula is nested too deeply."))
            node = Neg(self.unary())
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> Node:
        kind, value, pos = self.take()
        if kind == "number":
            return Num(float(value))
        if kind == "name":
            nxt = self.peek()
            if nxt is not None and nxt[1] == "(":
                if value not in FUNCTIONS:
                    raise FormulaError(
                        _("Unknown function “%(name)s”; use min, max or abs.") % {"name": value}
                    )
                self.take("(")
                args = [self.expression()]
                while (t := self.peek()) is not None and t[1] == ",":
                    self.take()
                    args.append(self.expression())
                self.take(")")
                if value == "abs" and len(args) != 1:
                    raise FormulaError(_("abs takes one argument."))
                return Call(value, tuple(args))
            if not NAME.fullmatch(value):
                raise FormulaError(
                    _(
                        "“%(name)s” at position %(pos)d is not a code: codes are lower-case letters, digits and _."
                    )
                    % {"name": value, "pos": pos}
                )
            return Ref(value)
        if value == "(":
            node = self.expression()
            self.take(")")
            return node
        raise FormulaError(_("Unexpected “%(token)s” at position %(pos)d.") % {"token": value, "pos": pos})


def parse(text: str) -> Node:
    tokens = tokenize(text or "")
    if not tokens:
        raise FormulaError(_("The formula is empty."))
    parser = _Parser(tokens)
    node = parser.expression()
    if (rest := parser.peek()) is not None:
        raise FormulaError(
            _("Unexpected “%(token)s” at position %(pos)d.") % {"token": rest[1], "pos": rest[2]}
        )
    return node


def references(node: Node) -> set[str]:
    if isinstance(node, Ref):
        return {node.name}
    if isinstance(node, Neg):
        return references(node.operand)
    if isinstance(node, BinOp):
        return references(node.left) | references(node.right)
    if isinstance(node, Call):
        out: set[str] = set()
        for arg in node.args:
            out |= references(arg)
        return out
    return set()


def evaluate(node: Node, env: Mapping[str, float | None]) -> float | None:
    """The value, or None when an input is missing or a division by zero occurs."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        return env.get(node.name)
    if isinstance(node, Neg):
        v = evaluate(node.operand, env)
        return None if v is None else -v
    if isinstance(node, Call):
        args = [evaluate(a, env) for a in node.args]
        if any(a is None for a in args):
            return None
        return float(FUNCTIONS[node.function](*args))
    left, right = evaluate(node.left, env), evaluate(node.right, env)
    if left is None or right is None:
        return None
    if node.op == "+":
        out = left + right
    elif node.op == "-":
        out = left - right
    elif node.op == "*":
        out = left * right
    else:
        if right == 0:
            return None
        out = left / right
    return out if math.isfinite(out) else None


def find_cycle(graph: Mapping[str, set[str]], start: str) -> list[str] | None:
    """A path start → … → start in the dependency graph (indicator → the indicators it refers to), if any."""
    path: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> list[str] | None:
        if name == start and path:
            return [*path, name]
        if name in seen:
            return None
        seen.add(name)
        path.append(name)
        for nxt in sorted(graph.get(name, ())):
            found = visit(nxt)
            if found:
                return found
        path.pop()
        return None

    return visit(start)
