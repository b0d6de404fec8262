"""An offline stand-in for python-jsonpath2's `Path`, standard library only.

Consumer entry points written for the documentation import `from jsonpath2 import Path` and call
`Path.parse_str(text).match(doc)`, reading `current_value` (and `node.tojsonpath()`) from each
result. Without a package index the real library cannot be installed, so the runner installs this
module (also importable as `jsonpath2`). It follows the dialect (filters test the current node,
`or` binds tighter than `and`, existential comparisons, raw string literals) for member names,
indices, slices, wildcards, unions, filters and `..`. Functions such as `length()` are not
supported: they raise ValueError at parse time naming the missing feature, so a consumer needing
them knows to provide the real jsonpath2 through --pip-arg=--find-links.
"""

import json
import re

__all__ = ['Path', 'MatchData', 'match']

_TOKEN = re.compile(r'''
    (?P<ws>[ \t\r\n]+)
  | (?P<string>"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9A-Fa-f]{4})*")
  | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?(?:0|[1-9][0-9]*))?)
  | (?P<op>\.\.|!=|<=|>=|[$@.*?,:()\[\]{}=<>])
  | (?P<id>[_A-Za-z][_A-Za-z0-9]*)
''', re.VERBOSE)
_KEYWORDS = {'and', 'or', 'not', 'contains', 'true', 'false', 'null'}
_FUNCTIONS = {'charAt', 'entries', 'keys', 'length', 'substring', 'values'}


def _tokenize(text):
    tokens, pos = [], 0
    while pos < len(text):
        found = _TOKEN.match(text, pos)
        if not found:
            raise ValueError('jsonpath syntax error at position {}: unexpected {!r}'.format(
                pos, text[pos]))
        kind = found.lastgroup
        if kind != 'ws':
            value = found.group(kind)
            if kind == 'id' and value in _KEYWORDS:
                kind = 'kw'
            tokens.append((kind, value, pos))
        pos = found.end()
    tokens.append(('end', '', len(text)))
    return tokens


class _Parser(object):
    def __init__(self, text):
        self.tokens = _tokenize(text)
        self.index = 0

    def peek(self, offset=0):
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def take(self, *values):
        token = self.peek()
        if values and token[1] not in values:
            raise ValueError('jsonpath syntax error at position {}: expected {}, found {!r}'.format(
                token[2], ' or '.join(repr(v) for v in values), token[1] or 'end of input'))
        self.index += 1
        return token

    def path(self):
        start = self.take('$', '@')[1]
        segments = []
        while self.peek()[1] in ('.', '..', '['):
            segments.append(self.segment())
        return ('path', start, segments)

    def segment(self):
        kind = self.take()[1]
        if kind == '[':
            selectors = [self.selector()]
            while self.peek()[1] == ',':
                self.take(',')
                selectors.append(self.selector())
            self.take(']')
            return ('child', selectors)
        if kind == '..' and self.peek()[1] == '[':
            return ('descend', self.segment()[1])
        token = self.take()
        if token[1] == '*':
            selector = ('wild',)
        elif token[0] == 'id':
            if self.peek()[1] == '(':
                raise ValueError('jsonpath function {}() is not supported by this offline '
                                 'jsonpath2 stand-in'.format(token[1]))
            selector = ('name', token[1])
        else:
            raise ValueError('jsonpath syntax error at position {}: expected a member name or '
                             "'*', found {!r}".format(token[2], token[1] or 'end of input'))
        return ('descend' if kind == '..' else 'child', [selector])

    def selector(self):
        kind, value, pos = self.peek()
        if kind == 'string':
            self.take()
            return ('name', value[1:-1])
        if value == '*':
            self.take()
            return ('wild',)
        if value == '?':
            self.take()
            self.take('(')
            expr = self.expr()
            self.take(')')
            return ('filter', expr)
        if kind == 'number' or value == ':':
            return self.index_or_slice()
        if kind == 'id' and value in _FUNCTIONS:
            raise ValueError('jsonpath function {}() is not supported by this offline '
                             'jsonpath2 stand-in'.format(value))
        if value in ('$', '@'):
            raise ValueError('jsonpath node subscripts ([{}...]) are not supported by this '
                             'offline jsonpath2 stand-in'.format(value))
        raise ValueError('jsonpath syntax error at position {}: unexpected {!r}'.format(
            pos, value or 'end of input'))

    def integer(self):
        token = self.take()
        if token[0] != 'number' or re.search('[.eE]', token[1]):
            raise ValueError('jsonpath syntax error at position {}: expected an integer'.format(
                token[2]))
        return int(token[1])

    def index_or_slice(self):
        parts, current = [], None
        if self.peek()[1] != ':':
            current = self.integer()
            if self.peek()[1] != ':':
                return ('index', current)
        parts.append(current)
        while self.peek()[1] == ':' and len(parts) < 3:
            self.take(':')
            parts.append(self.integer() if self.peek()[0] == 'number' else None)
        while len(parts) < 3:
            parts.append(None)
        return ('slice', parts[0], parts[1], parts[2])

    # expr ::= or-expr ("and" expr)? ; or binds tighter than and, as in jsonpath2.
    def expr(self):
        terms = [self.or_expr()]
        while self.peek()[1] == 'and':
            self.take()
            terms.append(self.or_expr())
        return terms[0] if len(terms) == 1 else ('and', terms)

    def or_expr(self):
        terms = [self.not_expr()]
        while self.peek()[1] == 'or':
            self.take()
            terms.append(self.not_expr())
        return terms[0] if len(terms) == 1 else ('or', terms)

    def not_expr(self):
        if self.peek()[1] == 'not':
            self.take()
            return ('not', self.not_expr())
        if self.peek()[1] == '(':
            self.take('(')
            inner = self.expr()
            self.take(')')
            return inner
        left = self.operand()
        if self.peek()[1] in ('=', '!=', '<', '<=', '>', '>=', 'contains'):
            op = self.take()[1]
            return ('cmp', op, left, self.operand())
        return ('exists', left)

    def operand(self):
        if self.peek()[1] in ('$', '@'):
            return self.path()
        start = self.peek()[2]
        depth = 0
        while True:
            token = self.take()
            if token[1] in ('[', '{'):
                depth += 1
            elif token[1] in (']', '}'):
                depth -= 1
            if token[0] == 'end':
                raise ValueError('jsonpath syntax error: unterminated literal')
            if depth == 0:
                break
        end = self.peek()[2]
        source = self.source[start:end]
        try:
            return ('literal', json.loads(source, parse_constant=_reject_constant))
        except ValueError:
            raise ValueError('jsonpath syntax error at position {}: bad literal {!r}'.format(
                start, source))


def _reject_constant(name):
    raise ValueError(name)


class _Node(object):
    def __init__(self, path):
        self._path = path

    def tojsonpath(self):
        return self._path


class MatchData(object):
    """One result: the value, its normalized path (node.tojsonpath()) and the document."""

    def __init__(self, root_value, current_value, path):
        self.root_value = root_value
        self.current_value = current_value
        self.node = _Node(path)


def _num(value):
    return isinstance(value, (int, float))


def _compare(op, left, right):
    if op == '=':
        return _equal(left, right)
    if op == '!=':
        return not _equal(left, right)
    if op == 'contains':
        return right in left if isinstance(left, (str, list, dict)) else False
    if not (_num(left) and _num(right)):
        return False
    return {'<': left < right, '<=': left <= right, '>': left > right, '>=': left >= right}[op]


def _equal(left, right):
    if _num(left) and _num(right):
        return left == right
    if type(left) is not type(right):
        return False
    return left == right


class Path(object):
    """A parsed expression: Path.parse_str(text).match(doc) yields MatchData objects."""

    def __init__(self, tree, text):
        self._tree = tree
        self._text = text

    @classmethod
    def parse_str(cls, text):
        parser = _Parser(text)
        parser.source = text
        if parser.peek()[1] != '$':
            raise ValueError('jsonpath syntax error at position 0: a path starts with $')
        tree = parser.path()
        if parser.peek()[0] != 'end':
            token = parser.peek()
            raise ValueError('jsonpath syntax error at position {}: unexpected {!r}'.format(
                token[2], token[1]))
        return cls(tree, text)

    @classmethod
    def parse_file(cls, filename):
        with open(filename, 'r', encoding='utf-8') as stream:
            return cls.parse_str(stream.read())

    def __str__(self):
        return self._text

    def match(self, root_value):
        for value, path in _eval_path(self._tree, root_value, root_value, '$'):
            yield MatchData(root_value, value, path)


def match(text, root_value):
    return Path.parse_str(text).match(root_value)


def _eval_path(tree, root, current, base):
    results = [(root, '$')] if tree[1] == '$' else [(current, base)]
    for kind, selectors in tree[2]:
        step = []
        for value, path in results:
            targets = _descendants(value, path) if kind == 'descend' else [(value, path)]
            for target, target_path in targets:
                for selector in selectors:
                    step.extend(_select(selector, root, target, target_path))
        results = step
    return results


def _descendants(value, path):
    yield value, path
    if isinstance(value, dict):
        for key, child in value.items():
            for item in _descendants(child, '{}[{}]'.format(path, json.dumps(key))):
                yield item
    elif isinstance(value, list):
        for index, child in enumerate(value):
            for item in _descendants(child, '{}[{}]'.format(path, index)):
                yield item


def _index(value, path, index):
    if isinstance(value, list):
        real = index + len(value) if index < 0 else index
        if 0 <= real < len(value):
            return [(value[real], '{}[{}]'.format(path, index))]
    return []


def _select(selector, root, value, path):
    kind = selector[0]
    if kind == 'name':
        if isinstance(value, dict) and selector[1] in value:
            return [(value[selector[1]], '{}["{}"]'.format(path, selector[1]))]
        return []
    if kind == 'wild':
        if isinstance(value, dict):
            return [(v, '{}[{}]'.format(path, json.dumps(k))) for k, v in value.items()]
        if isinstance(value, list):
            return [(v, '{}[{}]'.format(path, i)) for i, v in enumerate(value)]
        return []
    if kind == 'index':
        return _index(value, path, selector[1])
    if kind == 'slice':
        if not isinstance(value, list):
            return []
        length = len(value)
        start, end, step = selector[1], selector[2], selector[3]
        start = 0 if start is None else start
        if start < 0:
            start = start + length if -start < length else 0
        end = length if end is None else (end + length if end < 0 else end)
        step = 1 if step is None else step
        if step == 0:
            raise ValueError('slice step cannot be zero')
        out = []
        for index in range(start, end, step):
            out.extend(_index(value, path, index))
        return out
    if _truth(selector[1], root, value):
        return [(value, path)]
    return []


def _values(operand, root, current):
    if operand[0] == 'literal':
        return [operand[1]]
    return [value for value, _ in _eval_path(operand, root, current, '@')]


def _truth(expr, root, current):
    kind = expr[0]
    if kind == 'and':
        return all(_truth(term, root, current) for term in expr[1])
    if kind == 'or':
        return any(_truth(term, root, current) for term in expr[1])
    if kind == 'not':
        return not _truth(expr[1], root, current)
    if kind == 'exists':
        operand = expr[1]
        if operand[0] == 'literal':
            return bool(operand[1])
        return bool(_values(operand, root, current))
    _, op, left, right = expr
    lefts, rights = _values(left, root, current), _values(right, root, current)
    if left[0] != 'literal' and right[0] != 'literal':
        lefts = lefts[:1]  # jsonpath2 compares only the first left value against a path
    return any(_compare(op, l, r) for l in lefts for r in rights)
