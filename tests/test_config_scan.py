"""Line numbers come from our own lexer: comments, strings and heredocs must not fool it."""

from __future__ import annotations

from pathlib import Path

from plangate.config import read_module
from plangate.config._scan import scan_blocks

TRICKY = """\
# resource "fake" "hash" {
// data "fake" "slashes" {
/* module "fake" {
   resource "fake" "block_comment" { */
variable "v" { # inline } {
  default = "{ resource \\"fake\\" \\"string\\" {"
}

locals {
  text = <<EOT
resource "fake" "heredoc" {
}
EOT
  tmpl = "${jsonencode({ a = "}" })}"
  map = {
    key = "value"
  }
}

resource "real" "one" {
  name = "x"
  nested {
    inner = 1
  }
  rule { single = true }
  cond = var.a == "b" ? 1 : 2
  list = [
    { not_a_member = 1 },
  ]
}

data "real" "two" {}
"""


def test_headers_ignore_comments_strings_and_heredocs() -> None:
    headers = scan_blocks(TRICKY)
    assert [(h.type, h.labels, h.line) for h in headers] == [
        ("variable", ("v",), 5),
        ("locals", (), 9),
        ("resource", ("real", "one"), 20),
        ("data", ("real", "two"), 32),
    ]


def test_member_lines_are_direct_arguments_and_nested_blocks_only() -> None:
    resource = scan_blocks(TRICKY)[2]
    assert dict(resource.members) == {
        "name": 21,
        "nested": 22,
        "rule": 25,
        "cond": 26,
        "list": 27,
    }
    assert dict(scan_blocks(TRICKY)[1].members) == {"text": 10, "tmpl": 14, "map": 15}


def test_reader_uses_scanned_lines_for_every_block_kind(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TRICKY, encoding="utf-8")
    module = read_module(tmp_path)
    assert module.variables["v"].location.line == 5
    assert [(r.address_in_module, r.location.line) for r in module.resources] == [
        ("real.one", 20),
        ("data.real.two", 32),
    ]
    assert module.resources[0].attribute_location("rule").line == 25  # type: ignore[union-attr]
    assert module.resources[0].attribute_location("missing") is None
    assert module.locals["text"] == 'resource "fake" "heredoc" {\n}\n'


def test_crlf_and_byte_order_mark(tmp_path: Path) -> None:
    text = '\ufeff# top\r\n\r\nresource "a" "b" {\r\n  x = <<EOT\r\nhi\r\nEOT\r\n}\r\n'
    (tmp_path / "main.tf").write_bytes(text.encode("utf-8"))
    block = read_module(tmp_path).resources[0]
    assert block.location.line == 3
    assert block.attributes["x"] == "hi\n"


def test_same_labels_twice_in_one_file_keep_their_own_lines(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        "locals {\n  a = 1\n}\n\nlocals {\n  b = 2\n}\n"
        'provider "google" {}\nprovider "google" {\n  alias = "eu"\n}\n',
        encoding="utf-8",
    )
    module = read_module(tmp_path)
    assert dict(module.locals) == {"a": 1, "b": 2}
    assert [(p.alias, p.location.line) for p in module.provider_blocks] == [(None, 8), ("eu", 9)]
