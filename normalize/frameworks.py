"""The 一级/二级 names of the indicator frameworks forms use.

一级 and 二级 indicators are not free text: they come from the Ministry of Finance's
frameworks, the 项目支出 one (产出/效益/满意度/成本, 数量/质量/时效…) and the 部门整体
ones (部门投入/过程管理/部门产出/部门效果, 预算配置/预算执行…), each printed with or
without 指标. On a scan, a merged name read wrong files every indicator under it in a
group no framework has ("文山" for 产出, read sure), which nothing else would catch: a name
none of them has is doubt. It is never taken for the framework name it is closest to: a
city's own name (履职效果) is one character from another (履职效能).

To support a city's own group names, add them here.
"""

from __future__ import annotations

import re

from normalize import labels

LEVEL1 = frozenset({
    "产出", "效益", "满意度", "成本", "投入", "过程", "效果", "产出管理",
    "部门投入", "过程管理", "部门产出", "部门效果", "部门效益", "投入管理", "部门管理",
    "履职效能", "履职效果", "能力建设", "管理效率", "运行成本", "社会效益",
})
LEVEL2 = frozenset({
    "数量", "质量", "时效", "成本", "经济成本", "社会成本", "生态环境成本",
    "经济效益", "社会效益", "生态效益", "可持续影响", "服务对象满意度", "满意度", "社会公众满意度",
    "预算配置", "资金投入", "预算执行", "预算管理", "资产管理", "预算编制", "资金管理", "目标设定",
    "职责履行", "履职效益", "项目管理", "人员管理", "财务管理", "绩效管理", "运行成本", "基础设施",
    "社会效应", "经济效应", "生态效应", "综合效益", "可持续发展", "社会影响", "公众满意度",
    "重点工作", "工作质量", "工作时效", "工作数量", "目标管理", "制度管理", "采购管理", "信息公开",
    "结果应用", "效益",
})
NAMES = LEVEL1 | LEVEL2
_SCORE = re.compile(r"[(（][^()（）]*[)）]")  # a weight or score printed after it: （20分）


def known(name: str) -> bool:
    """Is ``name`` one of the frameworks' names, at either level (forms move 满意度 and
    成本 between them)? Compared as labels are (labels.fold_label: no spaces, numbering
    or punctuation), without 指标 or a bracketed score after it. A blank name is no
    claim."""
    bare = labels.fold_label(_SCORE.sub("", name)).removesuffix("指标")
    return not bare or bare in NAMES
