"""jixiao: 部门整体预算绩效目标申报表 PDFs into a queryable database.

    import jixiao
    jixiao.ingest(["forms/"], db="sqlite:///jixiao.db")
    db = jixiao.connect("sqlite:///jixiao.db")
    db.indicators(year=2021)
"""

from jixiao.api import Database, check, connect, export, history, ingest, query, show

__all__ = ["Database", "check", "connect", "export", "history", "ingest", "query", "show"]
