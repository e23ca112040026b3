"""bpkit.book.source: the book's listings of bpkit's code fit the page and are the same code."""

import ast
import textwrap

import pytest

from bpkit import book, train


# the functions whose source the book prints (chapter 7 and the appendix)
@pytest.mark.parametrize("obj", [train.update_mini_batch_per_example, train.update_mini_batch_matrix,
                                 train._take_step])
def test_folded_source_fits_and_parses_to_the_same_code(obj):
    import inspect

    original = textwrap.dedent(inspect.getsource(obj))
    folded = book.source(obj)
    assert all(len(line) <= 79 for line in folded.splitlines()), [
        line for line in folded.splitlines() if len(line) > 79]
    same = ast.dump(ast.parse(textwrap.dedent(folded))) == ast.dump(ast.parse(original))
    if not same:  # docstrings may be re-wrapped: compare with the docstrings' whitespace collapsed
        def norm(tree):
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    node.value = " ".join(node.value.split())
            return ast.dump(tree)
        same = norm(ast.parse(textwrap.dedent(folded))) == norm(ast.parse(original))
    assert same


def test_short_lines_are_left_alone():
    def f(x):  # a comment
        return x

    import inspect

    assert book.source(f) == inspect.getsource(f)
