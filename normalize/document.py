"""Page grids → one ``Declaration``: the stage's single entry point."""

from __future__ import annotations

from pathlib import Path

from extract.model import ExtractedDocument
from normalize import budget, checks, header, indicators, pointers, records, script, sections
from normalize.model import Declaration, Issue, NotADeclaration, SourceInfo
from normalize.rows import stream

TEXT_SECTIONS = ("functions", "policies", "strategic_goals", "annual_goals")


def _not_this_form(doc: ExtractedDocument, rows: list) -> NotADeclaration:
    seen = [r.text for r in rows if r.is_line and 4 <= len(r.text) <= 40][:3]
    found = "; ".join(seen) if seen else "no title found"
    return NotADeclaration(f"not a 部门整体预算绩效目标申报表 (titles found: {found})")


def normalize(doc: ExtractedDocument) -> Declaration:
    rows = stream(script.in_form_script(doc.pages))
    parts = sections.split(rows)
    head_rows = parts.get("preamble") + parts.get("trailer")
    title = header.find_title(rows)
    money_unit = header.find_unit(head_rows) or header.find_unit(rows) or "万元"
    budget_lines, budget_issues, _ = budget.read_budget(parts.get("budget"), money_unit)
    indicator_rows, indicator_issues, _ = indicators.read_indicators(parts.get("indicators"))
    # A booklet that merely mentions 绩效目标 is not this form: it needs the title
    # and one of the form's two grids actually read, or both grids (a title lost
    # in a page header or an image is weaker evidence than the grids themselves).
    if not ((title and (budget_lines or indicator_rows)) or (budget_lines and indicator_rows)):
        raise _not_this_form(doc, rows)

    profile = records.profile_pairs(parts.get("preamble") + [r for rs in parts.rows.values()
                                                              for r in rs])
    department_cell = profile.get("department")
    department = (department_cell.text.strip() if department_cell and department_cell.text.strip()
                  else header.find_filed_by(head_rows))
    year = header.find_year(head_rows) or header.find_year(rows)
    if not department:
        raise NotADeclaration("no department: neither 部门名称 nor 填报部门 was found")
    if year is None:
        raise NotADeclaration("no year: the title block names no year (e.g. (2021年度))")

    texts = {name: records.long_text(parts.get(name))[0] for name in TEXT_SECTIONS}
    read = {name for name, got in (("budget", budget_lines), ("indicators", indicator_rows)) if got}
    prior, prior_issues = records.prior_year(parts.get("prior_year"))
    tasks, task_issues = records.tasks(parts.get("tasks"))
    # the arrays are final here: the readers' issues can point at their rows
    located = pointers.locate([*budget_issues, *indicator_issues, *prior_issues, *task_issues],
                              {"budget": budget_lines, "indicators": indicator_rows,
                               "prior_year_results": prior, "work_tasks": tasks})
    issues: list[Issue] = [*located, *checks.misruled_budget(located),
                           *checks.run_all(budget_lines, read),
                           *checks.coarse_scans(doc.pages, parts.rows),
                           *checks.poorly_read_scans(doc.pages, parts.rows),
                           *checks.swallowed_sections({"work_tasks": (tasks, "task"),
                                                       "prior_year_results": (prior, "prior")},
                                                      [r for rs in parts.rows.values() for r in rs]),
                           *(issue for name in TEXT_SECTIONS
                             for issue in records.text_doubts(name, parts.get(name)))]
    issues += records.profile_doubts(profile)
    doubt = header.doubtful_title(rows)
    if doubt is not None:
        issues.insert(0, doubt)
    return Declaration(
        source=SourceInfo(file=Path(doc.path).name, sha256=doc.sha256, pages=len(doc.pages),
                          page_kinds=tuple(doc.page_kinds),
                          extractor_version=doc.extractor_version),
        title=title,
        year=year,
        department=department,
        money_unit=money_unit,
        subordinate_units=records.as_int(profile.get("subordinate_units")),
        staffing_quota=records.as_int(profile.get("staffing_quota")),
        funded_staff=records.as_int(profile.get("funded_staff")),
        prior_year_results=tuple(prior),
        work_tasks=tuple(tasks),
        budget=tuple(budget_lines),
        indicators=tuple(indicator_rows),
        signoff=header.find_signoff(head_rows),
        issues=tuple(issues),
        **texts,
    )
