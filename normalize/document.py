"""Page grids → declarations: ``read_forms`` (every form of a file, the stage's entry
point) and ``normalize`` (the pages of one form → one ``Declaration``)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from extract.model import ExtractedDocument
from normalize import budget, checks, forms, header, indicators, pointers, records, script, sections
from normalize.model import (
    Declaration,
    FileReading,
    IncompleteForm,
    Issue,
    NotADeclaration,
    SourceInfo,
)
from normalize.rows import stream

TEXT_SECTIONS = ("functions", "policies", "strategic_goals", "annual_goals")


def _not_this_form(doc: ExtractedDocument, rows: list) -> NotADeclaration:
    seen = [r.text for r in rows if r.is_line and 4 <= len(r.text) <= 40][:3]
    found = "; ".join(seen) if seen else "no title found"
    return NotADeclaration(f"not a 部门整体预算绩效目标申报表 (titles found: {found})")


def read_forms(doc: ExtractedDocument) -> FileReading:
    """Every declaration of the file, each read from its own pages (normalize.forms).

    A proposed page range that turns out to hold no form (a booklet's table of contents
    that names the form, a prose page with a section's words) is part of no form. A
    range that starts with the form's title or 部门名称 and holds a form's grids but
    not its department or year fails the file: loading the other forms of it would
    leave that one unread in silence. A file where no range reads as a form is read
    whole, as one form or refused as none."""
    numbers = [p.page for p in doc.pages]
    by_number = {p.page: p for p in doc.pages}
    found: list[Declaration] = []
    proposed = forms.spans(doc.pages)
    for span in proposed:
        # (a document extracted in part has only the pages asked for)
        pages = [by_number[n] for n in range(span.first, span.last + 1) if n in by_number]
        pages[0] = forms.from_title(pages[0], span.title_top)
        try:
            found.append(normalize(replace(doc, pages=tuple(pages))))
        except IncompleteForm as exc:
            if not (span.titled or span.named):
                continue  # words of the form on a page of something else (a booklet's prose)
            where = "" if len(proposed) == 1 else f"pages {forms.page_ranges(range(span.first, span.last + 1))}: "
            raise IncompleteForm(where + str(exc)) from exc
        except NotADeclaration:
            continue
    if not found:
        found = [normalize(doc)]
    # the file's pages, not the form's: every declaration of a file shares its document
    whole = {"pages": len(doc.pages), "page_kinds": tuple(doc.page_kinds),
             "page_turns": tuple(doc.page_turns), "page_sheets": tuple(doc.page_sheets)}
    found = [replace(d, source=replace(d.source, **whole)) for d in found]
    other = forms.other_pages(numbers, [d.source.page_range for d in found])
    return FileReading(tuple(found), other)


def normalize(doc: ExtractedDocument) -> Declaration:
    """The declaration on ``doc``'s pages, all of which are taken as one form's."""
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
    filed = header.filed_by_cell(head_rows)
    department = (department_cell.text.strip() if department_cell and department_cell.text.strip()
                  else filed[0] if filed else None)
    year = header.find_year(head_rows) or header.find_year(rows)
    if not department:
        raise IncompleteForm("no department: neither 部门名称 nor 填报部门 was found")
    if year is None:
        raise IncompleteForm("no year: the title block names no year (e.g. (2021年度))")

    texts = {name: records.long_text(parts.get(name))[0] for name in TEXT_SECTIONS}
    read = {name for name, got in (("budget", budget_lines), ("indicators", indicator_rows)) if got}
    prior, prior_issues = records.prior_year(parts.get("prior_year"))
    tasks, task_issues = records.tasks(parts.get("tasks"))
    unread = checks.unread_sections(doc.pages, {
        name for name, got in (*texts.items(), ("prior_year_results", prior), ("work_tasks", tasks))
        if got})
    # the arrays are final here: the readers' issues can point at their rows
    located = pointers.locate([*budget_issues, *indicator_issues, *prior_issues, *task_issues],
                              {"budget": budget_lines, "indicators": indicator_rows,
                               "prior_year_results": prior, "work_tasks": tasks})
    issues: list[Issue] = [*located, *checks.misruled_budget(located),
                           *checks.run_all(budget_lines, read),
                           *checks.unreadable_layers(doc.pages),
                           *unread,
                           *checks.coarse_scans(doc.pages, parts.rows),
                           *checks.poorly_read_scans(doc.pages, parts.rows),
                           *checks.unread_tables({"work_tasks": (tasks, "task", parts.get("tasks")),
                                                  "prior_year_results": (prior, "prior",
                                                                         parts.get("prior_year"))},
                                                 [r for rs in parts.rows.values() for r in rs],
                                                 {issue.field for issue in unread}),
                           *(issue for name in TEXT_SECTIONS
                             for issue in records.text_doubts(name, parts.get(name)))]
    signoff, signoff_issues = header.read_signoff(head_rows)
    issues += records.profile_doubts(profile) + signoff_issues
    if not any(i.field == "/department" for i in issues):  # one doubt on it is enough
        issues += header.department_doubts(department_cell, filed)
    doubt = header.doubtful_title(rows)
    if doubt is not None:
        issues.insert(0, doubt)
    return Declaration(
        source=SourceInfo(file=Path(doc.path).name, sha256=doc.sha256, pages=len(doc.pages),
                          page_kinds=tuple(doc.page_kinds), page_turns=tuple(doc.page_turns),
                          page_sheets=tuple(doc.page_sheets),
                          extractor_version=doc.extractor_version,
                          first_page=doc.pages[0].page, last_page=doc.pages[-1].page),
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
        signoff=signoff,
        issues=tuple(issues),
        **texts,
    )
