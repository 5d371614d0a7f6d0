"""Markdown job summary: headline, counts, capped tables, escaping."""

from __future__ import annotations

from plangate.policy import Severity
from plangate.report import markdown, render
from tests.test_report_common import build_report, clean_report, plan_document


def md(report=None) -> str:
    return render(report or build_report(), "markdown")


def table_rows(output: str, heading: str) -> list[str]:
    block = output[output.index(heading) :].split("\n\n")[1]
    return block.splitlines()[2:]


def test_headline_shows_the_verdict():
    assert md().startswith("## ❌ plangate: FAIL\n")
    assert md(clean_report()).startswith("## ✅ plangate: PASS\n")


def test_counts_table():
    rows = table_rows(md(), "### Policy results per plan")
    assert rows == ["| plans/dev.json | dev | 5 | 1 | 0 | 1 | 1 |"]
    header = md().split("### Policy results per plan\n\n")[1].splitlines()[0]
    assert header == "| Plan | Environment | Fail | Error | Waived | Pass | Not applicable |"


def test_counts_table_totals_several_plans():
    report = build_report({"plans/dev.json": plan_document(), "plans/prod.json": plan_document()})
    rows = table_rows(md(report), "### Policy results per plan")
    assert rows[-1] == "| **Total** |   | **10** | **2** | **0** | **2** | **2** |"


def test_findings_table():
    rows = table_rows(md(), "### Failing findings")
    assert len(rows) == 5
    assert rows[0] == (
        "| critical | PG-GCS-001 | `google_storage_bucket.logs` | `uniform_bucket_level_access` "
        "| true | `false` |"
    )
    assert "| `(known after apply)` |" in "\n".join(rows)
    assert "| `(sensitive)` |" in "\n".join(rows)


def test_findings_table_has_a_plan_column_with_several_plans():
    report = build_report({"plans/dev.json": plan_document(), "plans/prod.json": plan_document()})
    output = md(report)
    header = output.split("### Failing findings\n\n")[1].splitlines()[0]
    assert "| Plan |" in header
    assert "`plans/prod.json`" in output


def test_findings_table_is_capped():
    document = plan_document()
    document["resource_changes"] = [
        {
            "address": f"google_storage_bucket.b{i}",
            "mode": "managed",
            "type": "google_storage_bucket",
            "name": f"b{i}",
            "provider_name": "google",
            "change": {
                "actions": ["create"],
                "before": None,
                "after": {"uniform_bucket_level_access": False},
            },
        }
        for i in range(markdown.MAX_ROWS + 7)
    ]
    output = md(build_report({"plans/dev.json": document}, only=["PG-GCS-001"], waiver_list=()))
    rows = table_rows(output, "### Failing findings")
    assert len(rows) == markdown.MAX_ROWS
    assert "… and 7 more findings (see the JSON or SARIF report)" in output


def test_not_blocking_findings_are_marked():
    rows = table_rows(md(build_report(fail_on=Severity.HIGH)), "### Failing findings")
    assert rows[2].startswith("| medium (not blocking) |")
    assert rows[0].startswith("| critical |")


def test_waivers_table():
    rows = table_rows(md(), "### Waived findings")
    assert rows == [
        "| PG-GCS-001 | `google_storage_bucket.legacy` | Legacy bucket served by a CDN that needs "
        "ACLs; migration planned. | alice@example.com | 2026-01-31 |"
    ]


def test_errors_expired_and_warnings():
    output = md()
    (error,) = table_rows(output, "### ⚠️ Policy errors")
    assert error.startswith("| PG-PS-001 | plans/dev.json | RuntimeError: boom")
    (expired,) = table_rows(output, "### ⏰ Expired waivers")
    assert expired == "| PG-SQL-001 | `google_sql_user.nobody` | carol@example.com | 2024-01-01 |"
    assert "### Warnings\n\n- waiver PG-NET-001 for module.other.\\* " in output


def test_error_text_is_escaped():
    (error,) = table_rows(md(), "### ⚠️ Policy errors")
    assert r"\<b\>broken\</b\> \| \`policy\`" in error
    assert error.count(" | ") == 2  # three cells, no stray separators


def test_cell_escapes_pipes_backticks_and_html():
    assert markdown.cell("a|b") == r"a\|b"
    assert markdown.cell("run `rm`") == r"run \`rm\`"
    assert markdown.cell("<script>") == r"\<script\>"
    assert markdown.cell("two\nlines") == "two lines"
    assert markdown.cell("") == " "
    assert markdown.cell("x" * 500).endswith("…")
    assert len(markdown.cell("x" * 500)) == markdown.CELL_LIMIT


def test_code_spans_survive_pipes_and_backticks():
    assert markdown.code("a|b") == r"`a\|b`"
    assert markdown.code("a`b") == "`` a`b ``"
    assert markdown.code("``x``") == "``` ``x`` ```"
    assert markdown.code("") == " "


def test_values_with_pipes_and_backticks_stay_in_their_cell():
    document = plan_document()
    document["resource_changes"][0]["change"]["after"]["uniform_bucket_level_access"] = "a|b`c"
    output = md(build_report({"plans/dev.json": document}, only=["PG-GCS-001"], waiver_list=()))
    row = next(r for r in table_rows(output, "### Failing findings") if "logs" in r)
    assert row.endswith(r'| `` "a\|b`c" `` |')
    assert row.replace("\\|", "").count("|") == 7  # six cells


def test_plans_details():
    report = build_report()
    output = md(report)
    assert "<details><summary>Plans</summary>" in output
    assert f"`{report.runs[0].loaded.source.sha256}`" in output
    assert output.rstrip().endswith("</details>")
