"""淮安市民政局, 2025: Word (python-docx) -> LibreOffice; one table per section under heading lines;
NO period columns (budget 全年数); budget and indicators before prior-year results and tasks; indicators with a 指标值类型 column (≥ ≤ = 定性) BEFORE 指标值 and a
计量单位 column AFTER it (the value cell holds the bare number); the indicator table cut by hand onto
a new page under a "续表" line with its header repeated; "- N -" page footers.

Expected parses: the unit comes from 计量单位 (万人 -> 人 x 10000, 万件 -> 件 x 10000, 万元, 元 -> 万元,
‰ -> %, 个工作日 -> 工作日); the comparator from 指标值类型 unless the value cell has its own
(不低于95 under "=" stays >=); 定性 rows parse as their words do."""

from . import Form, Layout, V, b, ind, t, up, v

FUNCTIONS = (
    "（一）贯彻执行国家、省有关民政工作的方针政策和法律法规，拟订全市民政事业发展规划并组织实施；"
    "（二）负责全市社会救助工作，统筹城乡最低生活保障、特困人员救助供养、临时救助工作；"
    "（三）统筹推进、督促指导、监督管理全市养老服务工作，拟订养老服务体系建设规划并组织实施；"
    "（四）负责社会组织登记管理和执法监督，指导城乡社区治理体系建设；"
    "（五）负责儿童福利、孤弃儿童保障、残疾人福利工作；"
    "（六）负责婚姻登记管理、殡葬管理和区划地名管理工作。"
)

POLICIES = (
    "《社会救助暂行办法》、《江苏省社会救助办法》、《江苏省养老服务条例》、《特困人员认定办法》、"
    "《淮安市最低生活保障实施细则》、《殡葬管理条例》"
)

STRATEGY = (
    "到2027年，全市分层分类社会救助体系更加完善，城乡低保标准与经济社会发展水平同步提高；建成居家社区机构相协调、医养康养相结合的养老服务体系，"
    "每千名老年人拥有养老床位数达到42张，护理型床位占比达到70%；城乡社区治理能力明显增强，基本民生保障更加精准有力。"
)

ANNUAL = (
    "2025年，保障城乡低保对象3.2万人、特困人员1.1万人，城市低保标准不低于每人每月1020元；新建居家社区养老服务中心12个；"
    "临时救助审批时限不超过3个工作日；养老机构消防安全达标率不低于95%；服务对象满意度达到90%以上。"
)

PRIOR = [
    ("城乡低保标准提高到每人每月960元", "2024年7月起全市城乡低保标准统一提高至每人每月960元，全年发放低保金3.86亿元。"),
    ("新建居家社区养老服务中心10个", "新建居家社区养老服务中心11个，新增护理型床位620张。"),
    ("完成婚姻登记档案数字化8万件", "完成历史婚姻登记档案数字化8.3万件，实现全市婚姻登记“跨省通办”。"),
]

TASKS = [
    ("社会救助兜底保障",
     "落实城乡低保、特困供养、临时救助政策，按月足额发放救助资金，低保资金社会化发放率100%。",
     "负责全市社会救助工作", "城乡最低生活保障资金；特困人员救助供养资金"),
    ("养老服务体系建设",
     "新建居家社区养老服务中心12个，开展养老机构消防安全专项整治，推进特殊困难老年人家庭适老化改造。",
     "统筹推进全市养老服务工作", "养老服务体系建设补助资金"),
    ("殡葬惠民与婚姻登记",
     "落实基本殡葬服务费用减免政策，发放殡葬惠民补贴500万元；推进婚姻登记档案数字化9万件。",
     "负责婚姻登记管理、殡葬管理工作", "殡葬惠民补贴资金；婚姻登记档案数字化项目"),
]

INCOME = [
    b("一般公共预算拨款收入", "52386.74"),
    b("政府性基金预算拨款收入", "6500"),
    b("上级补助收入", "3820.5"),
    b("其他收入", "120"),
    b("合计", "62827.24"),
]

EXPENDITURE = [
    b("基本支出", "4862.24"),
    b("其中：人员经费", "4015.6", item="人员经费", parent="基本支出"),
    b("公用经费", "846.64", item="公用经费", parent="基本支出"),
    b("项目支出", "57965"),
    b("合计", "62827.24"),
]


def n(raw: str, value, unit, comparator: str = "=") -> V:
    """raw is the 指标值 cell alone; unit and value follow the 计量单位 column."""
    return v(raw, "number", value, unit, comparator)


INDICATORS = [
    ind("部门投入", "预算配置", "在职人员控制率", n("100", 100, "%", "<="), "编制部门核定数", unit="%", vtype="≤"),
    ind("部门投入", "预算配置", "“三公经费”控制率", n("100", 100, "%", "<="), None, unit="%", vtype="≤"),
    ind("过程管理", "预算执行", "预算执行率", n("95", 95, "%", ">="), None, unit="%", vtype="≥"),
    ind("过程管理", "预算执行", "结转结余率", n("5", 5, "%", "<="), None, unit="%", vtype="≤"),
    ind("过程管理", "预算管理", "财务管理制度健全性", t("健全"), None, vtype="定性"),
    ind("过程管理", "预算管理", "项目资金使用合规性", t("合规"), None, vtype="定性"),
    ind("部门产出", "数量", "城乡低保对象保障人数", n("3.2", 32000, "人"), "2024年末在册人数", unit="万人", vtype="="),
    ind("部门产出", "数量", "特困人员供养人数", n("1.1", 11000, "人"), None, unit="万人", vtype="="),
    ind("部门产出", "数量", "新建居家社区养老服务中心", n("12", 12, "个", ">="), None, unit="个", vtype="≥"),
    ind("部门产出", "数量", "殡葬惠民补贴发放", n("500", 500, "万元"), None, unit="万元", vtype="="),
    ind("部门产出", "数量", "婚姻登记档案数字化", n("9", 90000, "件", ">="), None, unit="万件", vtype="≥"),
    ind("部门产出", "质量", "低保资金社会化发放率", n("100", 100, "%"), None, unit="%", vtype="="),
    ind("部门产出", "质量", "养老机构消防安全达标率", n("不低于95", 95, "%", ">="), "养老机构消防安全管理规定",
        unit="%", vtype="="),
    ind("部门产出", "时效", "临时救助审批时限", n("3", 3, "工作日", "<="), "江苏省临时救助办法", unit="个工作日", vtype="≤"),
    ind("部门产出", "时效", "低保金发放", t("按月"), None, vtype="定性"),
    ind("部门产出", "成本", "城市低保标准", n("1020", 0.102, "万元", ">="), "每人每月", unit="元", vtype="≥"),
    ind("部门效果", "社会效益", "孤儿基本生活费发放率", n("100", 100, "%"), None, unit="%", vtype="="),
    ind("部门效果", "社会效益", "养老服务投诉率", n("1", 0.1, "%", "<="), None, unit="‰", vtype="≤"),
    ind("部门效果", "社会效益", "困难群众获得感", up("提升"), None, vtype="定性"),
    ind("部门效果", "可持续影响", "社会组织规范化建设", t("持续推进"), None, vtype="定性"),
    ind("满意度", "服务对象满意度", "服务对象满意度", n("90", 90, "%", ">="), "第三方测评", unit="%", vtype="≥"),
]

FORM = Form(
    name="huaian_civil_2025",
    year=2025,
    department="淮安市民政局",
    filler="淮安市民政局",
    money_unit="万元",
    subordinate_units=6,
    staffing_quota=156,
    funded_staff=149,
    functions=FUNCTIONS,
    policies=POLICIES,
    strategic_goals=STRATEGY,
    annual_goals=ANNUAL,
    prior_year_results=PRIOR,
    work_tasks=TASKS,
    income=INCOME,
    expenditure=EXPENDITURE,
    indicators=INDICATORS,
    filled_by="许晓燕",
    date_printed="2025年1月22日",
    date_iso="2025-01-22",
    phone="0517-83662145",
    head="孙建军",
    layout=Layout(producer="docx", style="tables", section_heading="line", periods=False, amount_header="全年数",
                  type_column="指标值类型", unit_column="计量单位", footer="- {n} -", continued="续表",
                  splits={"indicators": 8}, font_size=9,
                  order=("profile", "texts", "budget", "indicators", "prior", "tasks"),
                  ind_fractions=(0.1, 0.1, 0.2, 0.09, 0.1, 0.09, 0.32),
                  notes="指标值类型 (≥ ≤ = 定性) and 计量单位 columns; 续表 cut by hand; - N - footers"),
)
