"""Three invented reports in the layouts real archives hold (units, figures and wording made up).

- ``donghu-zc-2023``: a 项目支出绩效自评表 alone — 主管部门 and 实施单位 differ, the money block
  (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 over 年度资金总额 and 其中 rows), the
  indicator rows with level-1 and level-2 cells merged down, a 总分 row. The .txt is the form
  flattened one cell per line, as a web page copies.
- ``xishan-nfzx-2023``: a 部门决算 excerpt — 收入支出决算总表 (two sides, 行次, a bare 总计 row)
  split by a page break after six rows, its three header rows repeated on the next page; and a
  score table whose level-1 cells and their 分值 are merged down, split by a page break right
  after its header row (not repeated).
- ``nanhu-tyzx-2023``: a department's self-evaluation whose level-1 score table is a Markdown
  pipe table with a ``| 合计 | 100 | 86.5 |`` row in the .txt.

``check_figures`` fails loudly when an edit breaks the arithmetic a clean sample promises.
"""

from __future__ import annotations

from decimal import Decimal

from render import H1, H2, TITLE, Cell, Para, Report, Table, cells

D = Decimal

# ---- a project form --------------------------------------------------------------------------

_FORM_INDICATORS = (
    # level 1 (rows it spans), level 2 (rows), level 3, target, achieved, 分值, 得分
    (("产出指标", 5), ("数量指标", 2), "助餐服务人次", "≥3万人次", "3.12万人次", "15", "15"),
    (None, None, "助餐点覆盖社区数", "≥24个", "24个", "10", "10"),
    (None, ("质量指标", 1), "餐食抽检合格率", "100%", "100%", "10", "10"),
    (None, ("时效指标", 1), "补助资金按季拨付率", "100%", "75%", "5", "3.5"),
    (None, ("成本指标", 1), "每餐补助标准", "≤5元", "5元", "10", "10"),
    (("效益指标", 2), ("社会效益指标", 1), "老年人就餐便利程度", "明显提升", "明显提升", "15", "14"),
    (None, ("可持续影响指标", 1), "助餐点持续运营率", "≥90%", "91.7%", "15", "13"),
    (("满意度指标", 1), ("服务对象满意度指标", 1), "就餐老人满意度", "≥90%", "92.6%", "10", "9"),
)


def _form_rows() -> tuple[tuple[Cell, ...], ...]:
    head = (
        (Cell("项目名称"), Cell("社区老年助餐服务补助项目", colspan=7)),
        (
            Cell("主管部门"),
            Cell("示例市东湖区民政局", colspan=3),
            Cell("实施单位"),
            Cell("示例市东湖区养老服务指导中心", colspan=3),
        ),
        (
            Cell("项目资金（万元）", rowspan=5),
            *cells("", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
        ),
        cells("年度资金总额", "120.00", "126.00", "119.70", "10", "95.00%", "9.5"),
        cells("其中：当年财政拨款", "120.00", "126.00", "119.70", "—", "95.00%", "—"),
        cells("上年结转资金", "", "", "", "—", "", "—"),
        cells("其他资金", "", "", "", "—", "", "—"),
        (Cell("年度总体目标", rowspan=2), Cell("预期目标", colspan=3), Cell("实际完成情况", colspan=4)),
        (
            Cell("为全区60周岁以上老年人提供就餐补助，建成社区助餐点24个，全年服务不少于3万人次。", colspan=3),
            Cell("全区24个社区助餐点全部投入运营，全年服务3.12万人次；第四季度补助资金延后拨付。", colspan=4),
        ),
        (
            Cell("绩效指标", rowspan=len(_FORM_INDICATORS) + 1),
            *cells("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"),
        ),
    )
    rows = []
    for level1, level2, *rest in _FORM_INDICATORS:
        row = [Cell(level1[0], rowspan=level1[1])] if level1 else []
        row += [Cell(level2[0], rowspan=level2[1])] if level2 else []
        rows.append((*row, *cells(*rest)))
    total = (Cell("总分", colspan=6), *cells("100", "94"))
    return (*head, *rows, total)


DONGHU = Report(
    slug="donghu-zc-2023",
    site="示例市东湖区人民政府",
    published="2024-04-12",
    blocks=(
        Para("社区老年助餐服务补助项目支出绩效自评表", TITLE),
        Para("（2023年度）"),
        Table(_form_rows(), txt="lines", header_rows=0, widths=(900, 1500, 1300, 1500, 1000, 1000, 800, 640)),
        Para("填报日期：2024年3月20日"),
    ),
)

# ---- a 部门决算 excerpt ------------------------------------------------------------------------

_TOTALS = (
    (Cell("收入", colspan=3), Cell("支出", colspan=3)),
    cells("项目", "行次", "金额", "项目", "行次", "金额"),
    cells("栏次", "", "1", "栏次", "", "2"),
    cells("一、一般公共预算财政拨款收入", "1", "268.40", "一、一般公共服务支出", "32", ""),
    cells("二、政府性基金预算财政拨款收入", "2", "", "二、社会保障和就业支出", "33", "32.50"),
    cells("三、上级补助收入", "3", "", "三、卫生健康支出", "34", "14.30"),
    cells("四、事业收入", "4", "12.00", "四、节能环保支出", "35", ""),
    cells("五、经营收入", "5", "", "五、农林水支出", "36", "226.80"),
    cells("六、附属单位上缴收入", "6", "", "六、交通运输支出", "37", ""),
    cells("七、其他收入", "7", "5.20", "七、住房保障支出", "38", "13.60"),
    cells("本年收入合计", "8", "285.60", "本年支出合计", "39", "287.20"),
    cells("使用非财政拨款结余", "9", "", "结余分配", "40", ""),
    cells("年初结转和结余", "10", "6.20", "年末结转和结余", "41", "4.60"),
    cells("总计", "11", "291.80", "总计", "42", "291.80"),
)

_SPLIT_SCORES = (
    cells("一级指标", "分值", "二级指标", "分值", "得分"),
    (Cell("决策", rowspan=2), Cell("15", rowspan=2), *cells("目标设定", "8", "8")),
    cells("预算编制", "7", "6"),
    (Cell("过程", rowspan=2), Cell("25", rowspan=2), *cells("预算执行", "15", "13.5")),
    cells("资产管理", "10", "9"),
    (Cell("产出", rowspan=2), Cell("35", rowspan=2), *cells("产出数量", "20", "19")),
    cells("产出质量", "15", "14"),
    (Cell("效益", rowspan=2), Cell("25", rowspan=2), *cells("社会效益", "15", "14")),
    cells("服务对象满意度", "10", "9"),
    (Cell("合计", colspan=3), *cells("100", "92.5")),
)

XISHAN = Report(
    slug="xishan-nfzx-2023",
    site="示例县人民政府",
    published="2024-09-06",
    blocks=(
        Para("示例县西山镇农业综合服务中心2023年度部门决算", TITLE),
        Para("第一部分　单位概况", H1),
        Para("一、主要职能", H2),
        Para(
            "本中心是西山镇人民政府所属公益一类事业单位，主要承担全镇农业技术推广、动植物疫病防控、"
            "农田水利设施管护和农产品质量安全监管等工作。"
        ),
        Para("二、人员情况", H2),
        Para("本中心核定事业编制12名。截至2023年末，实有人数15人，其中在职人员11人、退休人员4人。"),
        Para("第二部分　2023年度部门决算表", H1),
        Para("表1　收入支出决算总表"),
        Para("编制单位：示例县西山镇农业综合服务中心　　单位：万元"),
        Table(
            _TOTALS,
            header_rows=3,
            widths=(2820, 620, 880, 2820, 620, 880),
            break_after=9,
            repeat_header=True,
            page_marker="- 2 -",
            lead=2,
        ),
        Para("第三部分　2023年度部门决算情况说明", H1),
        Para("一、收入支出决算总体情况说明", H2),
        Para(
            "本年度收支总体平稳，收入以一般公共预算财政拨款为主，支出主要用于农林水领域，"
            "年末结转和结余主要为尚未完工的农田水利设施维修项目资金。"
        ),
        Para("二、部门整体支出绩效自评情况", H2),
        Para("本中心对2023年度部门整体支出开展了绩效自评。"),
        Para("自评指标及得分情况如下表："),
        Table(_SPLIT_SCORES, widths=(1600, 1200, 3440, 1200, 1200), break_after=1, page_marker="- 4 -", lead=3),
        Para("经综合评定，本中心2023年度部门整体支出绩效自评得分92.5分，评价等级为“优”。"),
    ),
)

# ---- a department report with a Markdown pipe table -------------------------------------------

_LEVEL1_SCORES = (
    cells("一级指标", "分值", "得分"),
    cells("决策", "15", "13"),
    cells("过程", "25", "21.5"),
    cells("产出", "35", "30"),
    cells("效益", "25", "22"),
    cells("合计", "100", "86.5"),
)

NANHU = Report(
    slug="nanhu-tyzx-2023",
    site="示例市南湖区人民政府",
    published="2024-05-30",
    blocks=(
        Para("示例市南湖区体育事业发展中心2023年度部门整体支出绩效自评报告", TITLE),
        Para("一、部门基本情况", H1),
        Para("（一）部门职能", H2),
        Para(
            "中心是区文化体育和旅游局所属公益一类事业单位，主要负责全民健身活动组织、公共体育场馆运营、"
            "业余体育训练和体育赛事服务保障等工作。"
        ),
        Para("（二）人员情况", H2),
        Para("中心编制28人，实有人数31人，其中在职人员26人，退休人员5人。"),
        Para("二、部门收支及预算执行情况", H1),
        Para("（一）收支情况", H2),
        Para(
            "2023年度收入总计468.20万元，其中财政拨款收入452.60万元、其他收入15.60万元；"
            "支出总计461.75万元，其中基本支出318.40万元、项目支出143.35万元。"
        ),
        Para("（二）预算执行情况", H2),
        Para(
            "本年度年初预算数420.00万元，年中追加35.30万元，全年预算数455.30万元，全年执行数432.54万元，"
            "预算执行率95.00%。"
        ),
        Para("三、绩效自评结果", H1),
        Para("（一）评分情况", H2),
        Para("本次自评从决策、过程、产出、效益四个方面设置一级指标，各一级指标得分如下："),
        Table(_LEVEL1_SCORES, txt="markdown", widths=(3600, 2520, 2520)),
        Para("（二）评价结论", H2),
        Para(
            "评价结果分为优（90分及以上）、良（80-89.99分）、中（60-79.99分）、差（60分以下）四个等级。"
            "中心2023年度部门整体支出绩效自评综合评分86.5分，自评结果为“良”。"
        ),
        Para("四、存在的问题及改进措施", H1),
        Para("部分场馆免费开放时段安排与群众需求衔接不够，下一步将细化开放计划，提高场馆使用效率。"),
    ),
)

REPORTS = (DONGHU, XISHAN, NANHU)


def check_figures() -> None:
    """The sums each sample promises: parts make totals, points make 100, rates divide."""
    # project form: the money row, the points, the total
    assert (D("119.70") / D("126.00") * 100).quantize(D("0.01")) == D("95.00")
    leaves = [(D(r[-2]), D(r[-1])) for r in _FORM_INDICATORS]
    assert sum(m for m, _ in leaves) + 10 == 100
    assert sum(s for _, s in leaves) + D("9.5") == D("94")
    # 决算 total table: the two sides and their totals
    revenue, spending = [D("268.40"), D("12.00"), D("5.20")], [D("32.50"), D("14.30"), D("226.80"), D("13.60")]
    assert sum(revenue) == D("285.60") and sum(revenue) + D("6.20") == D("291.80")
    assert sum(spending) == D("287.20") and sum(spending) + D("4.60") == D("291.80")
    # split score table: level-2 points make their level-1 points, scores make the total
    maxima = {"决策": 15, "过程": 25, "产出": 35, "效益": 25}
    children = [r[-3:] for r in _SPLIT_SCORES[1:-1]]
    groups = [children[i : i + 2] for i in range(0, len(children), 2)]
    for (_, m), group in zip(maxima.items(), groups, strict=True):
        assert sum(D(c[1].text) for c in group) == m
    assert sum(maxima.values()) == 100 and sum(D(c[2].text) for c in children) == D("92.5")
    # department report: revenue and spending parts, budget, level-1 scores and grade
    assert D("452.60") + D("15.60") == D("468.20") and D("318.40") + D("143.35") == D("461.75")
    assert D("420.00") + D("35.30") == D("455.30")
    assert (D("432.54") / D("455.30") * 100).quantize(D("0.01")) == D("95.00")
    rows = _LEVEL1_SCORES[1:-1]
    assert sum(D(r[1].text) for r in rows) == 100 and sum(D(r[2].text) for r in rows) == D("86.5")
