"""Field extraction on short snippets the team wrote, one per layout and wording (issue 4)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractor import extract_text


def report(text: str):
    return extract_text(text, verify=False).report


def grounded(text: str, value):
    assert value is not None
    assert text[value.span[0] : value.span[1]] == value.raw
    return value


def test_narrative_money_with_shares():
    t = "示例县档案馆2021年度部门整体支出绩效自评报告\n2021年本年支出合计200.00万元，其中：基本支出150.00万元，占比75.00%；项目支出50.00万元，占比25.00%。"
    r = report(t)
    assert grounded(t, r.expenditure.total).value == Decimal("2000000")
    basic, project = r.expenditure.by_type
    assert (basic.name, basic.amount.value, basic.share.value) == ("基本支出", Decimal("1500000"), Decimal("75.00"))
    assert (project.name, project.amount.value) == ("项目支出", Decimal("500000"))


def test_two_figures_in_one_phrase():
    t = "2020年度收、支总计分别为88.5,90.25万元。"
    r = report(t)
    assert grounded(t, r.revenue.total).value == Decimal("885000")
    assert grounded(t, r.expenditure.total).value == Decimal("902500")
    assert r.revenue.total.raw == "88.5"


def test_wan_without_yuan_and_approx():
    t = "本年收入合计约120万，主要为财政拨款。"
    r = report(t)
    assert r.revenue.total.value == Decimal("1200000") and r.revenue.total.unit == "万" and r.revenue.total.approx


def test_unit_stated_once_in_table_header():
    t = "收入支出决算总表\n单位：万元\n项目 | 金额\n本年收入合计 | 1,234.56\n本年支出合计 | 1,200.00\n"
    r = report(t)
    assert grounded(t, r.revenue.total).value == Decimal("12345600") and r.revenue.total.unit == "万元"
    assert r.expenditure.total.value == Decimal("12000000")


def test_one_cell_per_line():
    t = "金额单位：元\n收入合计\n52,000.50\n支出合计\n51,000\n"
    r = report(t)
    assert r.revenue.total.value == Decimal("52000.50") and r.expenditure.total.value == Decimal("51000")


def test_no_unit_anywhere_gives_no_money():
    r = report("本年收入合计 | 1,234.56\n")
    assert r.revenue.total is None


def test_full_width_digits_and_traditional_characters():
    t = "某鎮衛生院２０２２年度部門整體支出績效自評報告\n編制人數１２人，退休人員３人。"
    r = report(t)
    assert r.fiscal_year.value == 2022 and r.kind.value == "department_overall"
    assert grounded(t, r.headcount.authorized).value == 12 and r.headcount.authorized.raw == "１２人"
    assert r.headcount.retired.value == 3
    assert r.department.value == "某镇卫生院"


def test_pinyin_glosses_are_not_values():
    t = "| 2021年度項(xiàng)目支出績(jī)效自評(píng)表 |\n| 實(shí)施單位 | 某縣自然資源局 |\n"
    r = report(t)
    assert r.kind.value == "project" and r.fiscal_year.value == 2021
    assert r.department.value == "某县自然资源局"


def test_headcount_wordings_and_chinese_numerals():
    t = "本局核定编制 4 名，在编人数三人，离 退休人数 5 人。"
    r = report(t)
    assert r.headcount.authorized.value == 4
    assert r.headcount.in_service.value == 3 and r.headcount.in_service.raw == "三人"
    assert r.headcount.retired.value == 5


def test_breakdown_of_in_service_staff():
    t = "年末实有人数9人，其中在职人员6人（5个事业编、1个借调人员），退休人员3人。"
    hc = report(t).headcount
    assert [(p.name, p.count.value) for p in hc.in_service_breakdown] == [("事业编", 5), ("借调", 1)]


def test_web_chrome_before_title_and_name_beside_it():
    t = (
        "索引号：000/2021-01\n发布机构：某区财政局\n发布日期：2021-05-06\n\n2020年部门整体支出绩效评价报告\n\n"
        "某区城市管理局\n\n根据要求开展自评。"
    )
    r = report(t)
    assert r.title.value == "2020年部门整体支出绩效评价报告"
    assert r.department.value == "某区城市管理局" and r.fiscal_year.value == 2020


def test_table_of_contents_is_not_the_title():
    t = (
        "目录\n第一部分 单位概况\n第二部分 2023年度单位决算情况说明\n附表：项目支出绩效自评表\n"
        "第一部分 单位概况\n某街道社区卫生服务中心属于公益一类事业单位，本单位2023年度共有项目3个。"
    )
    r = report(t)
    assert r.kind.value == "final_accounts"
    assert r.department.value == "某街道社区卫生服务中心"
    assert r.fiscal_year.value == 2023


def test_title_glued_to_body():
    t = "某市第九中学专项资金绩效自评价报告一、基本情况（一）项目概况本校2022年实施了两个项目。"
    r = report(t)
    assert r.title.value == "某市第九中学专项资金绩效自评价报告"
    assert r.department.value == "某市第九中学" and r.kind.value == "project" and r.fiscal_year.value == 2022


@pytest.mark.parametrize(
    "text,title,department",
    [
        # a web page's text with its line breaks lost: the title's end and the body meet at a space
        (
            "某镇卫生院2022年度部门决算公开说明 一、单位基本概况 (一)主要职能 负责全镇的基本医疗。",
            "某镇卫生院2022年度部门决算公开说明",
            "某镇卫生院",
        ),
        (
            "首页 > 信息公开 > 某县文化馆2021年度部门决算 索引号 1234 发布日期 2022-08-30 一、部门基本情况 "
            "(一)主要职能 负责全县群众文化活动的组织和指导",
            "某县文化馆2021年度部门决算",
            "某县文化馆",
        ),
        (
            "某县水务局 2023年部门决算公开信息 一、单位情况 本局为县政府工作部门。",
            "某县水务局2023年部门决算公开信息",
            "某县水务局",
        ),
        (
            "某县教育局(机关)2019年部门预算公开 - 索引号 - 0152-2019-0301 - 发文机构 - 某县教育体育局 - 日期 - "
            "2019-03-01 一、部门主要职责",
            "某县教育局(机关)2019年部门预算公开",
            "某县教育局",
        ),
    ],
)
def test_title_at_the_start_of_a_joined_text(text, title, department):
    r = report(text)
    assert r.title.value == title and r.department.value == department


def test_a_title_that_opens_with_its_year_after_page_chrome():
    t = (
        "作者:暂无 上传时间:2023-08-14 返回上级 附表2 2022年度文化共享工程项目自评表 项目单位(盖章):某县图书馆 "
        "主要领导签字: 填报日期:2023.6.28 项目名称 文化共享工程"
    )
    r = report(t)
    assert (
        r.title.value == "2022年度文化共享工程项目自评表" and r.fiscal_year.value == 2022 and r.kind.value == "project"
    )


def test_year_of_the_file_name_above_a_generic_form_title():
    """A form's generic name (no year) under the file's name that has one: the file is the report."""
    t = (
        "2021年度某局办公网络维护项目绩效自评表.pdf\n"
        "某市财政预算支出项目绩效目标自评表 填报日期:2022 年 2 月 18 日 自评总分: 90 项目名称 办公网络维护费 "
        "项目实施单位 某局 项目主管单位 某局 项目属性 常年性"
    )
    assert report(t).fiscal_year.value == 2021


def test_title_split_over_two_lines():
    t = "某县统计局2019年度部门\n\n整体支出绩效自评报告\n正文。"
    r = report(t)
    assert r.title.value == "某县统计局2019年度部门整体支出绩效自评报告"
    assert grounded(t, r.title).raw == "某县统计局2019年度部门\n\n整体支出绩效自评报告"


def test_heading_max_is_not_the_score():
    t = "（一）产出指标（得分30分）\n产出指标得分28分。\n（二）效益指标（得分20分）\n效益指标总共得分18.5分。\n经评价，绩效评价得分46.5分，评为“良”。"
    r = report(t)
    out = [(i.name, i.max.value, i.score.value) for i in r.indicators]
    assert out == [("产出指标", Decimal(30), Decimal(28)), ("效益指标", Decimal(20), Decimal("18.5"))]
    assert r.total_score.value == Decimal("46.5") and r.grade.value == "良"


def test_maxima_in_brackets_in_a_glued_table():
    t = "绩效指标 一级指标 二级指标 产出指标(40分) 数量指标 10 10 效益指标(40分) 社会效益 20 20 满意度指标(20分)"
    names = {i.name: i.max.value for i in report(t).indicators}
    assert names == {"产出指标": 40, "效益指标": 40, "满意度指标": 20}


def test_score_table_becomes_tree():
    t = (
        "一级指标 | 二级指标 | 分值 | 得分\n投入(20分) |  |  | \n | 预算编制 | 10 | 9\n | 资金到位 | 10 | 10\n"
        "产出 |  | 80 | 70\n | 数量 | 80 | 70\n合计 |  | 100 | 89\n"
    )
    ind = report(t).indicators
    assert [(i.name, i.level) for i in ind] == [("投入", 1), ("产出", 1)]
    assert ind[0].max.value == 20 and ind[0].score is None
    assert [(c.name, c.max.value, c.score.value) for c in ind[0].children] == [
        ("预算编制", 10, 9),
        ("资金到位", 10, 10),
    ]
    assert ind[1].score.value == 70 and ind[1].children[0].level == 2


def test_grade_bands_stated_in_the_report():
    t = "评价结果分为四档：总分90分（含）以上为优，80分（含）至90分为良，60分（含）至80分为中，60分以下为差。"
    gb = report(t).grade_bands
    assert gb.source == "report"
    assert [(b.grade, b.min, b.max) for b in gb.bands] == [
        ("优", Decimal(90), None),
        ("良", Decimal(80), Decimal(90)),
        ("中", Decimal(60), Decimal(80)),
        ("差", None, Decimal(60)),
    ]


def _bands(text: str):
    gb = report(text).grade_bands
    assert gb is not None and gb.source == "report"
    return [(b.grade, b.min, b.min_inclusive, b.max, b.max_inclusive) for b in gb.bands]


@pytest.mark.parametrize(
    ("grade_first", "score_first"),
    [
        (
            "评价结果分为优（90分及以上）、良（80-89.99分）、中（60-79.99分）、差（60分以下）四个等级。",
            "评价结果分为四档：90分及以上为优、80-89.99分为良、60-79.99分为中、60分以下为差。",
        ),
        (
            "等级标准：优：90分以上（含90分）；良：80-90分；中：60-80分；差：60分以下。",
            "等级标准：90分（含）以上为优，80分（含）-90分为良，60分（含）-80分为中，60分以下为差。",
        ),
        (
            "评分等级为优（≥90分）、良（80≤分数<90）、中（60≤分数<80）、差（<60分）。",
            "评分等级：90分（含）以上为优，80分（含）-90分为良，60分（含）-80分为中，60分以下为差。",
        ),
        (
            "结果分为优秀（90-100分）、良好（80-90分）、中等（60-80分）、较差（0-60分）。",
            "结果分为：90-100分为优秀，80-90分为良好，60-80分为中等，0-60分为较差。",
        ),
    ],
)
def test_grade_bands_written_grade_first_read_as_score_first(grade_first, score_first):
    """A grade before its band in brackets or after a colon gives the bands the score-first wording
    gives; never the next grade read after a bracket's range (良 for 90分以上)."""
    assert _bands(grade_first) == _bands(score_first)
    assert [g for g, *_ in _bands(grade_first)][:2] in (["优", "良"], ["优秀", "良好"])


def test_a_band_to_the_hundredth_meets_the_next_band():
    """80-89.99分 is 良 up to the next score at that precision: no gap before 90分以上 (GRD002)."""
    t = "示例县文化馆2023年度部门整体支出绩效自评报告\n结果分为优（90分及以上）、良（80-89.{d}分）、中（60-79.99分）、差（60分以下）。\n"
    assert [f for f in extract_text(t.format(d="99")).findings if f.rule == "GRD002"] == []
    assert [f.rule for f in extract_text(t.format(d="5")).findings if f.rule == "GRD002"] == ["GRD002"]


def test_bands_in_whole_points_meet_at_their_precision():
    """80-89分 / 90-100分 meet for scores in whole points: no GRD002 gap; a score written finer that
    falls between is GRD001's warning (in no band), and a whole score is graded as usual."""
    t = (
        "示例县文化馆2023年度部门整体支出绩效自评报告\n评分等级：90-100分为优，80-89分为良，60-79分为中，"
        "60分以下为差。\n本次自评得分{score}分，自评等级为良。\n"
    )
    whole = extract_text(t.format(score="89"))
    assert [f.rule for f in whole.findings if f.rule.startswith("GRD")] == []
    between = extract_text(t.format(score="89.5"))
    assert [(f.rule, f.severity) for f in between.findings if f.rule.startswith("GRD")] == [("GRD001", "warning")]


def test_grade_words_in_a_distribution_are_not_the_grade():
    t = "抽查的41个项目中，评为优的1个，评为良的3个，评为中的35个，评为差的2个。"
    assert report(t).grade is None


def test_project_form_money_row():
    t = (
        "项目资金(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分\n"
        "年度资金总额 | 12.5 | 13.00 | 12.87 | 10 | 99% | 9.9\n"
    )
    b = report(t).budget
    assert (b.total.value, b.adjusted.value, b.spent.value) == (Decimal("125000"), Decimal("130000"), Decimal("128700"))
    assert b.execution_rate.value == Decimal(99)


@pytest.mark.parametrize(
    "text,kind",
    [
        ("某局2022年度部门整体支出绩效自评报告", "department_overall"),
        ("某局2022年度项目支出绩效自评报告", "project"),
        ("某局2022年度部门决算", "final_accounts"),
        ("某局2022年单位预算", "other"),
        ("某县2022年度农村公路养护补助资金绩效自评报告", "project"),
        ("某局2022年度工作经费绩效评价报告", "project"),
        ("某局2022年度部门绩效自评报告", "department_overall"),
    ],
    ids=["overall", "project", "final-accounts", "budget", "fund", "expenses", "department-short"],
)
def test_kind_from_title(text, kind):
    assert report(text + "\n正文。").kind.value == kind


def test_full_name_preferred_to_the_titles_short_form():
    t = "某区委宣传部2023年单位预算\n本单位预算涵盖的单位共1个，即中共某某市某区委宣传部，编制人数9人。"
    r = report(t)
    assert r.department.value == "中共某某市某区委宣传部"
    assert t[r.department.span[0] : r.department.span[1]] == "中共某某市某区委宣传部"


def test_title_split_over_three_pdf_lines():
    t = "某市某区工商业联合会2023年\n度部门\n整体支出绩效自评报告\n根据要求开展自评。"
    r = report(t)
    assert r.title.value == "某市某区工商业联合会2023年度部门整体支出绩效自评报告"
    assert r.department.value == "某市某区工商业联合会" and r.fiscal_year.value == 2023


def test_counts_inside_brackets_belong_to_a_sub_unit():
    t = "全局现有人员300人，包括机关100人（在职人员80人、退休人员20人），下属站200人（在职人员150人、退休人员50人）。"
    hc = report(t).headcount
    assert hc.actual.value == 300 and hc.retired is None and hc.in_service is None


@pytest.mark.parametrize("breaks", ["\n", " "], ids=["lines", "one-line"])
def test_a_bracket_never_closed_opens_no_note(breaks):
    # the publisher's "(" is never closed: what follows is the text's own, however far its line
    # runs (a web page's text without line breaks is one line); a closed note still is a note
    t = breaks.join(
        [
            "一、基本情况",
            "本园现有学生300人,教职工40人。(其中,专任教师33人,工勤人员7人;退休人员0人;无公务用车。主要任务是保育。",
            "二、机构设置",
            "本园内设办公室、保教处;单位核定事业编制38个。",
            "三、部门决算表(公开表格附后)",
        ]
    )
    hc = report(t).headcount
    assert hc.retired.value == 0 and hc.authorized.value == 38
    closed = "全局现有人员300人,包括机关100人(在职人员80人、退休人员20人" + breaks + "在内),其余为下属站。"
    hc = report(closed).headcount
    assert hc.actual.value == 300 and hc.retired is None and hc.in_service is None


@pytest.mark.parametrize("gap", ["\n", "\n\n", "\n\n\n\n"], ids=["next-line", "one-empty", "double-spaced"])
def test_a_score_heading_reaches_its_figure_a_few_empty_lines_below(gap):
    t = f"某县图书馆2022年度项目支出绩效自评报告\n一、自评结论\n(一)自评得分{gap}96分。{gap}(二)绩效目标完成情况\n"
    assert report(t).total_score.value == 96


def test_breakdown_cut_short_is_not_a_breakdown():
    t = "总编制为120个，其中行政编10个、全额事业编40个、差额"
    hc = report(t).headcount
    assert hc.authorized.value == 120 and hc.authorized_breakdown == []


def test_category_subtotals_are_not_the_revenue_total():
    t = "收入经费总合计：50.00万元。\n1、财政补助收入合计：49.50万元，其中人员经费拨款（补助）收入：49.50万元。\n2、事业收入合计：0元。"
    r = report(t)
    # the total written as 收入经费总合计 is the unit's; the 合计 of each category never compete with it
    assert grounded(t, r.revenue.total).value == Decimal("500000") and "revenue.total" not in r.candidates


def test_name_ends_where_the_first_fiscal_term_begins():
    # no year in the title: jieba with the project's fiscal-term dictionary finds the boundary
    t = "某县第二人民医院财政专项资金使用绩效自评报告\n正文。"
    assert report(t).department.value == "某县第二人民医院"


def test_disagreeing_candidates_leave_the_field_empty_and_say_why():
    t = "某局2022年度部门整体支出绩效自评报告\n一、2022年度收入总计120.50万元。\n三、经核对，收入总计121.50万元。"
    result = extract_text(t)
    assert result.report.revenue.total is None
    assert [c.raw for c in result.report.candidates["revenue.total"]] == ["120.50万元", "121.50万元"]
    rules = {f.rule: f for f in result.findings}
    assert rules["RST002"].severity == "info" and rules["RST001"].severity == "error"


def test_candidates_that_agree_within_rounding_keep_the_first():
    t = "收入总计120.5万元。\n收入总计1205000元。"
    r = report(t)
    assert r.revenue.total.raw == "120.5万元"


def test_a_subsets_figures_are_not_the_units():
    t = (
        "2024年收入合计760.00万元，其中：本年收入560.00万元，上年结转收入200.00万元。\n"
        "2024年一般公共预算财政拨款收入合计470.00万元，其中：本年收入450.00万元，上年结转收入20.00万元。\n"
        "一般公共预算财政拨款支出470.00万元。其中：基本支出420.00万元。"
    )
    r = report(t)
    assert r.carryover.start.value == Decimal("2000000") and "carryover.start" not in r.candidates
    assert r.expenditure.by_type == []


def test_score_table_glued_by_ocr():
    t = (
        "部门整体支出绩效评价指标表一级指标分值二级指标分值三级指标分值评价标准得分"
        "决策20目标设定10绩效目标合理性5符合要求得5分。资金投入10万元的按标准计。过程30资金管理15"
    )
    ind = report(t).indicators
    assert [(i.name, i.max.value) for i in ind] == [("决策", 20), ("过程", 30)]
    assert all(i.score is None for i in ind)


def test_glued_names_outside_a_score_table_are_not_indicators():
    assert report("本年度决策20项，过程30次。").indicators == []


@pytest.mark.parametrize(
    "text,department,year",
    [
        ("关于某县财政局2022年度部门整体支出绩效自评的报告\n正文", "某县财政局", 2022),
        ("某县审计局部门整体支出绩效自评报告\n（2021年度）\n正文", "某县审计局", 2021),
        ("2022年度某县教育局部门整体支出绩效评价报告\n正文", "某县教育局", 2022),
    ],
    ids=["guanyu-prefix", "year-on-next-line", "year-first"],
)
def test_title_wordings(text, department, year):
    r = report(text)
    assert grounded(text, r.department).value == department and r.fiscal_year.value == year


def test_prior_year_figures_are_not_candidates():
    t = "2022年收入总计500.00万元，比上年收入总计400.00万元增长25%。在职人员20人，比去年在职人员18人增加2人。"
    r = report(t)
    assert r.revenue.total.value == Decimal("5000000") and r.headcount.in_service.value == 20
    assert r.candidates == {}


def test_headcount_form_with_label_cells_and_a_header_row():
    t = "单位基本信息\n编制人数 | 15 | 实有人数 | 21\n自评得分 | 92.5 |\n"
    r = report(t)
    assert (r.headcount.authorized.value, r.headcount.actual.value) == (15, 21)
    assert grounded(t, r.total_score).value == Decimal("92.5")
    t2 = "人员情况\n编制数 | 实有人数 | 在职人员 | 退休人员\n15 | 21 | 16 | 5\n"
    hc = report(t2).headcount
    assert [grounded(t2, getattr(hc, f)).value for f in ("authorized", "actual", "in_service", "retired")] == [
        15,
        21,
        16,
        5,
    ]


def test_a_list_cut_off_by_the_end_of_an_excerpt_is_not_a_breakdown():
    t = "2022年支出合计300.00万元，其中：教育支出200.00万元，社会保障和就业支出50.00万元，卫生健康"
    r = report(t)
    assert r.expenditure.total.value == Decimal("3000000") and r.expenditure.by_function == []
    done = report(t.replace("卫生健康", "卫生健康支出50.00万元。"))
    assert len(done.expenditure.by_function) == 3


@pytest.mark.parametrize(
    "text",
    [
        "《某县林业局2021年度项目支出绩效自评报告.docx》由用户上传到文档分享平台，可在线预览。\n一、基本情况",
        "附件1：某县林业局2021年度项目支出绩效自评报告\n正文",
    ],
    ids=["quoted-on-sharing-site", "annex-label"],
)
def test_title_behind_a_quote_or_an_annex_label(text):
    r = report(text)
    assert grounded(text, r.title).value == "某县林业局2021年度项目支出绩效自评报告"
    assert r.department.value == "某县林业局" and r.kind.value == "project" and r.fiscal_year.value == 2021


def test_a_generic_body_opening_a_paragraph_is_not_the_unit():
    assert report("区委区政府坚持以人民为中心。\n全县上下承担了任务。").department is None
    assert report("某县第一中学属于公办学校。").department.value == "某县第一中学"


def test_a_wrapped_cell_row_continues_the_names_above_it():
    t = (
        "一级指标 | 二级指标 | 三级指标 | 分值 | 得分\n效益指标(30分) | 社会效益指标 | 受益人口覆盖率 | 20 | 18\n"
        " | 可持续影响指 | 设施正常运行 | 10 | 9\n | 标 | 率 |  | \n满意度指标(10分) | 满意度 | 群众满意度 | 10 | 9\n"
    )
    ind = report(t).indicators
    assert [i.name for i in ind] == ["效益指标", "满意度指标"]
    second = ind[0].children[1]
    assert (second.name, second.children[0].name, second.children[0].score.value) == (
        "可持续影响指标",
        "设施正常运行率",
        9,
    )


# ---- tables: the column a figure stands in ---------------------------------------------------


def test_row_numbers_of_a_final_accounts_table_are_not_amounts():
    t = (
        "收入支出决算总表\n金额单位：元\n项目 | 行次 | 金额 | 项目 | 行次 | 金额\n"
        "本年收入合计 | 12 | 3,456,789.10 | 本年支出合计 | 40 | 3,400,000.00\n"
    )
    r = report(t)
    assert grounded(t, r.revenue.total).value == Decimal("3456789.10")
    assert grounded(t, r.expenditure.total).value == Decimal("3400000.00")


def test_a_row_number_in_a_table_flattened_to_spaces_is_not_an_amount():
    t = "收入决算表 项目 行次 金额 金额单位：元 本年收入合计 9 上年结转 10 合计 11 88,000.00 88,000.00"
    r = report(t)
    assert r.revenue.total is None
    assert r.title is None  # a table flattened onto one line is not a title either


@pytest.mark.parametrize(
    "header,row",
    [
        ("项目 | 上年数 | 本年数", "收入合计 | 610.00 | 725.50"),
        ("项目 | 2022年 | 2023年", "收入合计 | 610.00 | 725.50"),
        ("项目 | 年初预算数 | 决算数 | 完成率", "收入合计 | 700 | 725.50 | 103.6%"),
    ],
    ids=["prior-year-first", "years", "budget-beside-actual"],
)
def test_the_years_own_column_is_read_not_the_one_beside_it(header, row):
    t = f"单位：万元\n{header}\n{row}\n"
    r = report(t)
    assert grounded(t, r.revenue.total).value == Decimal("7255000") and r.revenue.total.raw == "725.50"


def test_by_type_in_a_table_with_a_share_column():
    t = "单位：万元\n项目 | 金额 | 占比\n基本支出 | 320.4 | 64%\n项目支出 | 180.2 | 36%\n"
    by_type = report(t).expenditure.by_type
    assert [(i.name, i.amount.value) for i in by_type] == [
        ("基本支出", Decimal("3204000")),
        ("项目支出", Decimal("1802000")),
    ]


# ---- narrative wordings ------------------------------------------------------------------------


def test_by_type_right_after_qizhong_without_a_colon():
    t = "2022年度支出总计480.00万元，其中基本支出300.00万元，占62.50%；项目支出180.00万元，占37.50%。"
    by_type = report(t).expenditure.by_type
    assert [(i.name, i.amount.value, i.share.value) for i in by_type] == [
        ("基本支出", Decimal("3000000"), Decimal("62.50")),
        ("项目支出", Decimal("1800000"), Decimal("37.50")),
    ]


def test_by_type_of_one_functional_class_is_not_the_units():
    t = "本年支出合计500万元，其中：教育支出300万元，其中基本支出200万元；卫生健康支出200万元。"
    r = report(t)
    assert r.expenditure.by_type == [] and len(r.expenditure.by_function) == 2
    t2 = "教育局2021年度支出总计500万元，其中基本支出320万元，项目支出180万元。"
    assert len(report(t2).expenditure.by_type) == 2  # a unit named after a class is not the class


def test_figure_and_unit_broken_over_two_lines():
    t = "2021年部门收入总计356.20\n万元，支出总计350.10万元。"
    r = report(t)
    assert grounded(t, r.revenue.total).value == Decimal("3562000") and r.revenue.total.unit == "万元"


@pytest.mark.parametrize(
    "text,total",
    [
        ("本单位2022年度收入决算为66.6万元，支出决算为65.4万元。", "666000"),
        ("本单位收入经费总合计为80.50万元。", "805000"),
    ],
    ids=["juesuan", "zong-heji"],
)
def test_more_wordings_of_the_revenue_total(text, total):
    assert grounded(text, report(text).revenue.total).value == Decimal(total)


def test_money_arranged_for_a_project_and_spent_in_the_year():
    t = (
        "某县实验小学生均公用经费绩效自评报告\n本校2021年依据定额标准安排，合计96万元，其中省级补助60万元。"
        "本校2021年累计支出合计90.5万元，余款结转下年使用。"
    )
    r = report(t)
    assert grounded(t, r.budget.total).value == Decimal("960000")
    assert grounded(t, r.expenditure.total).value == Decimal("905000")


def test_money_arranged_for_one_purpose_is_not_the_budget():
    t = "某县实验小学生均公用经费绩效自评报告\n本校安排资金3万元用于维修围墙。本校2021年项目支出共计2万元。"
    r = report(t)
    assert r.budget.total is None and r.expenditure.total is None


def test_a_budget_disclosures_revenue_total_is_its_budget():
    t = "某县档案馆2024年单位预算\n一、收入预算说明\n收入经费总合计为120.30万元，全部为财政拨款。"
    r = report(t)
    assert r.kind.value == "other"
    assert (
        grounded(t, r.budget.total).value == Decimal("1203000")
        and r.budget.total.pattern == "budget.total.budget_document"
    )
    report_kind = report("某县档案馆2024年度部门整体支出绩效自评报告\n收入合计120.30万元。")
    assert report_kind.budget.total is None


# ---- headcount -----------------------------------------------------------------------------------


def test_the_units_own_authorized_headcount_and_its_parts():
    t = "本单位编制数20人，其中：行政编制12人，事业编制8人。实有在职人员18人，退休职工6人。"
    hc = report(t).headcount
    assert grounded(t, hc.authorized).value == 20
    assert [(p.name, p.count.value) for p in hc.authorized_breakdown] == [("行政编制", 12), ("事业编制", 8)]
    assert hc.in_service.value == 18 and hc.retired.value == 6
    assert report("其中事业单位编制5人。").headcount.authorized is None


# ---- meta --------------------------------------------------------------------------------------------


def test_year_in_chinese_numerals():
    t = "二〇二二年度某乡人民政府部门整体支出绩效自评报告\n正文。"
    r = report(t)
    assert grounded(t, r.fiscal_year).value == 2022 and r.fiscal_year.raw == "二〇二二"
    assert r.department.value == "某乡人民政府"


def test_a_cited_regulation_is_not_the_title():
    t = "根据《某省预算绩效目标管理暂行办法》要求，我局开展了自评。"
    assert report(t).title is None


def test_a_review_of_sampled_projects_is_another_kind():
    t = "按照要求，市财政局对部门自评结果开展复核，共复核了15个项目，其中2个项目评为优。"
    r = report(t)
    assert r.kind.value == "other" and r.grade is None


# ---- grades and scores -------------------------------------------------------------------------------


def test_grade_named_as_a_rank():
    t = "经综合评价，本次最终评分为86.5分，属“良”等次。"
    r = report(t)
    assert grounded(t, r.total_score).value == Decimal("86.5") and grounded(t, r.grade).value == "良"
    assert report("评价标准：90分以上属“优”等次，80-89分属“良”等次。").grade is None


def test_more_headcount_wordings_and_changes_in_the_year():
    t = "单位编制14人。全局在职干部职工12人，离退休干部5人。本年新增在职人员2人。"
    hc = report(t).headcount
    assert (hc.authorized.value, hc.in_service.value, hc.retired.value) == (14, 12, 5)
    assert "headcount.in_service" not in report(t).candidates


def test_header_row_with_a_caption_in_its_first_cell():
    t = "人员情况：编制数 | 实有人数 | 在职 | 退休\n30 | 28 | 22 | 6\n"
    hc = report(t).headcount
    assert [grounded(t, getattr(hc, f)).value for f in ("authorized", "actual", "in_service", "retired")] == [
        30,
        28,
        22,
        6,
    ]


@pytest.mark.parametrize(
    "text,score",
    [
        ("经自评，2022年度部门整体支出绩效自评得分\n91分，等级为优。", "91"),
        ("上年自评得分86分，本年自评得分90.5分。", "90.5"),
        ("本项目共设一级指标4个，总分100分。经评价，本项目得分89分。", "89"),
    ],
    ids=["line-break", "prior-year", "the-project"],
)
def test_total_score_wordings(text, score):
    r = report(text)
    assert grounded(text, r.total_score).value == Decimal(score) and "total_score" not in r.candidates


def test_an_indicators_or_a_bands_points_are_not_the_full_mark():
    assert report("预算执行率指标满分10分，得分9分。").max_score is None
    assert report("评价结果分为四档：总分90分（含）以上为优，80分（含）至90分为良。").max_score is None
    assert report("自评得分为88分（满分100分）。").max_score.value == 100


def test_grade_after_zi_ping_jie_guo_wei():
    t = "全年绩效自评结果为良，得分85.5分。"
    assert grounded(t, report(t).grade).value == "良"


def test_a_township_is_a_unit():
    t = "某某乡2022年度部门整体支出绩效自评报告\n2022年度总收入300万元，总支出290万元，年末结转10万元。"
    r = report(t)
    assert grounded(t, r.department).value == "某某乡"
    assert grounded(t, r.carryover.end).value == Decimal("100000")


def test_last_years_budget_figures_are_not_this_years():
    t = "上年年初预算900万元，本年年初预算1000万元。部门预算执行率为98.5%，上年预算执行率96.5%。项目实际支出资金45万元。"
    b = report(t).budget
    assert grounded(t, b.total).value == Decimal("10000000") and grounded(t, b.execution_rate).value == Decimal("98.5")
    assert grounded(t, b.spent).value == Decimal("450000")


def test_a_year_after_a_heading_is_not_an_amount():
    t = "单位：万元\n（二）支出决算\n2023年本单位各项支出均按预算执行。\n（三）收入决算：2023年收入合计12.5万元。"
    r = report(t)
    assert r.expenditure.total is None
    assert grounded(t, r.revenue.total).value == Decimal("125000")


def test_a_total_far_below_its_tables_header():
    rows = ["收入支出决算总表", "金额单位：元", "项目 | 行次 | 金额 | 项目 | 行次 | 金额", "栏次 |  | 1 | 栏次 |  | 2"]
    rows += [f"收入类{i} | {i} | {i * 1000:,}.00 | 支出类{i} | {i + 40} | {i * 990:,}.00" for i in range(1, 36)]
    rows.append("本年收入合计 | 36 | 630,000.00 | 本年支出合计 | 76 | 623,700.00")
    t = "\n".join(rows) + "\n"
    r = report(t)
    assert grounded(t, r.revenue.total).value == Decimal("630000.00")
    assert grounded(t, r.expenditure.total).value == Decimal("623700.00")


_SCORE_TABLE = (
    "某县档案馆2023年度部门整体支出绩效自评报告\n"
    "一级指标 | 二级指标 | 分值 | 得分\n决策 | 目标设定 | 20 | 18\n产出 | 数量 | 80 | 72\n合计 |  | 100 | 90\n"
)


def test_a_score_tables_total_row_is_the_total_score():
    r = report(_SCORE_TABLE)
    assert grounded(_SCORE_TABLE, r.total_score).value == Decimal("90") and r.total_score.pattern == "total_score.table"
    # a narrative statement wins; the table's row stays a candidate for the verifier
    stated = _SCORE_TABLE + "经自评，本部门整体支出绩效自评得分90分。\n"
    r = report(stated)
    assert r.total_score.pattern == "total_score.label"
    assert [c.pattern for c in r.candidates["total_score"]] == ["total_score.label", "total_score.table"]


def test_a_score_tables_total_row_that_disagrees_with_its_rows_is_flagged():
    findings = extract_text(_SCORE_TABLE.replace("| 100 | 90", "| 100 | 91")).findings
    assert [f.rule for f in findings if f.severity == "error"] == ["IND004"]


@pytest.mark.parametrize(
    "row",
    ["合计 | 90", "合计 | 100 | 90 | ", "合计 |  | 100 | 190", "小计 |  | 100 | 90"],
    ids=["a-lone-figure", "merged-cells-and-an-empty-cell", "above-its-full-mark", "not-a-total-row"],
)
def test_a_total_row_that_cannot_be_read_safely_gives_nothing(row):
    r = report(_SCORE_TABLE.replace("合计 |  | 100 | 90", row))
    assert r.total_score is None


# ---- red team for precision: invented reports of several templates (issue: wrong values) ----


def errors(text: str) -> list[str]:
    return [f.rule for f in extract_text(text).findings if f.severity == "error"]


@pytest.mark.parametrize(
    "text,path",
    [
        (
            "梧桐县某专项2023年度项目支出绩效自评报告\n本项目调整后预算1,100万元。2022年该项目实际支出980万元。\n",
            "budget.spent",
        ),
        (
            "云岭县图书馆2023年度部门整体支出绩效自评报告\n与2022年度收入总计301.20万元相比，减少13.75万元。\n",
            "revenue.total",
        ),
        (
            "云岭县农业局2023年度部门整体支出绩效自评报告\n（三）上年人员情况。2022年末在职人员121人。\n",
            "headcount.in_service",
        ),
        ("某县林场2023年度部门整体支出绩效自评报告\n上年度该项目预算150万元，实际支出146万元。\n", "budget.spent"),
        (
            "某县残联2023年度部门整体支出绩效自评报告\n2022年度部门整体支出绩效评价得分为93.2分，评价等级为优秀。\n",
            "total_score",
        ),
        (
            "某县残联2023年度部门整体支出绩效自评报告\n2022年度部门整体支出绩效评价得分为93.2分，评价等级为优秀。\n",
            "grade",
        ),
    ],
    ids=[
        "year-then-project",
        "compared-with-a-year",
        "year-end-count",
        "last-year-sentence",
        "last-years-score",
        "last-years-grade",
    ],
)
def test_a_figure_its_sentence_gives_for_another_year_is_not_this_years(text, path):
    value = report(text)
    for part in path.split("."):
        value = getattr(value, part)
    assert value is None


def test_a_comparison_in_an_earlier_clause_does_not_make_the_next_figure_last_years():
    t = (
        "某县司法局2023年度部门整体支出绩效自评报告\n本年收入合计1,688.20万元，比上年增加88.20万元，"
        "本年支出合计1,705.30万元，较2022年增加105.30万元。上年度评价发现的问题已整改，本年度自评得分96分。\n"
    )
    r = report(t)
    assert grounded(t, r.revenue.total).value == Decimal("16882000")
    assert grounded(t, r.expenditure.total).value == Decimal("17053000")
    assert grounded(t, r.total_score).value == Decimal("96")


def test_a_departments_report_does_not_take_one_projects_budget_score_or_rate():
    t = (
        "云溪市交通局2023年度部门决算\n本年支出合计11,870.44万元。\n部分项目执行偏慢，其中社区服务项目执行率为62.5%。\n"
        "农村公路提质改造项目绩效自评综述：全年预算数3,000.00万元，执行数2,950.00万元。项目自评得分为93分，评价等级为优。\n"
    )
    r = report(t)
    assert r.kind.value == "final_accounts"
    assert (r.budget.adjusted, r.budget.execution_rate, r.total_score, r.grade) == (None, None, None, None)


def test_a_list_of_projects_gives_no_score_of_the_report():
    t = (
        "大桥乡2023年度项目支出绩效自评报告汇总\n二、各项目自评情况\n"
        "1.人居环境整治项目：预算120.00万元，执行率98.83%，自评得分95分，等级为优。\n"
        "2.村级道路维修项目：预算80.00万元，执行率81.25%，自评得分84分，等级为良。\n"
    )
    r = report(t)
    assert (r.total_score, r.grade, r.budget.execution_rate) == (None, None, None)
    assert errors(t) == []


def test_the_grand_total_beside_the_years_own_total():
    t = (
        "松涛镇2023年度部门决算\n2023年度收入总计3,126.55万元，支出总计3,126.55万元。\n"
        "本年收入合计2,980.11万元，其中：财政拨款收入2,650.00万元；其他收入330.11万元。\n"
        "本年支出合计2,955.40万元，其中：基本支出1,102.30万元，占37.30%；项目支出1,853.10万元，占62.70%。\n"
        "年初结转和结余146.44万元；年末结转和结余171.15万元。\n"
    )
    r = report(t)
    assert (
        grounded(t, r.revenue.total).value == Decimal("31265500") and r.revenue.total.pattern == "revenue.total.label"
    )
    assert grounded(t, r.expenditure.total).value == Decimal("31265500")
    assert [c.raw for c in r.candidates["revenue.total.of_year"]] == ["2,980.11万元"]
    assert "revenue.total" not in r.candidates  # the year's total is another figure, not a restatement
    assert errors(t) == []
    # alone, the year's own total is the field
    alone = report("本年收入合计2,980.11万元。\n")
    assert alone.revenue.total.value == Decimal("29801100") and alone.revenue.total.pattern == "revenue.total.of_year"
    # "本年度收入总计" is a grand total
    t2 = "本年度收入总计5,216.38万元，支出总计5,216.38万元。本年收入合计5,006.30万元，年初结转和结余210.08万元。\n"
    assert report(t2).revenue.total.value == Decimal("52163800")


def test_a_final_accounts_table_read_past_empty_cells_and_its_bare_total_row():
    t = (
        "单位：万元\n项目 | 行次 | 年初预算数 | 决算数 | 上年决算数\n"
        "本年收入合计 | 3 | 1,530.00 | 1,622.75 | 1,508.00\n年初结转和结余 | 4 |  | 38.60 | 41.10\n"
        "收入总计 | 5 |  | 1,661.35 | 1,549.10\n"
    )
    r = report(t)
    assert grounded(t, r.revenue.total).value == Decimal("16613500")
    assert grounded(t, r.carryover.start).value == Decimal("386000")
    two_sided = (
        "金额单位：万元\n项目 | 行次 | 金额 | 项目 | 行次 | 金额\n"
        "本年收入合计 | 7 | 389.72 | 本年支出合计 | 34 | 386.36\n"
        "年初结转和结余 | 8 | 12.40 | 年末结转和结余 | 35 | 15.76\n总计 | 9 | 402.12 | 总计 | 36 | 402.12\n"
    )
    r = report(two_sided)
    assert grounded(two_sided, r.revenue.total).value == Decimal("4021200")
    assert r.revenue.total.span != r.expenditure.total.span and r.expenditure.total.value == Decimal("4021200")


def test_a_subset_named_after_a_sentence_opening_with_qizhong():
    t = (
        "本馆2023年支出合计598.2万元，其中基本支出402.1万元、项目支出196.1万元。\n"
        "其中，一般公共预算财政拨款支出合计560.0万元，其中项目支出150.0万元。\n"
        "2023年度财政拨款收入总计590.00万元，支出总计560.00万元。\n"
    )
    r = report(t)
    assert [(i.name, i.amount.value) for i in r.expenditure.by_type] == [
        ("基本支出", Decimal("4021000")),
        ("项目支出", Decimal("1961000")),
    ]
    assert grounded(t, r.expenditure.total).value == Decimal("5982000")
    assert {c.raw for c in r.candidates["expenditure.total"]} == {"598.2万元"}  # not 财政拨款's 支出总计


def test_basic_and_project_spending_of_a_class_or_of_a_budget_are_not_the_units():
    t = (
        "支出合计5.58亿元，其中：教育支出5.10亿元，其中基本支出3.80亿元、项目支出1.30亿元；社会保障和就业支出0.48亿元。\n"
        "2023年年初预算数2,980.60万元，其中基本支出560.20万元、项目支出2,420.40万元。\n"
    )
    r = report(t)
    assert r.expenditure.by_type == []
    assert grounded(t, r.budget.total).value == Decimal("29806000")
    spent = "全年实际支出388.15万元，其中：基本支出331.15万元，项目支出57.00万元。\n"
    assert [i.amount.value for i in report(spent).expenditure.by_type] == [Decimal("3311500"), Decimal("570000")]


def test_a_revenue_list_ends_where_spending_starts():
    t = "2023年度我馆收入总计287.45万元，其中财政拨款收入280.45万元，其他收入7.00万元；支出总计287.45万元，其中基本支出198.30万元，项目支出89.15万元。\n"
    r = report(t)
    assert grounded(t, r.revenue.total).value == Decimal("2874500")  # 我馆 before the label
    assert [i.name for i in r.revenue.items] == ["财政拨款收入", "其他收入"]
    assert errors(t) == []


def test_totals_after_the_unit_or_its_whole_spending():
    t = "2023年部门整体支出总额2,346.71万元。2023年度部门收入共计458.20万元（上年结转12.30万元，本年收入445.90万元）。\n"
    r = report(t)
    assert grounded(t, r.expenditure.total).value == Decimal("23467100")
    assert grounded(t, r.revenue.total).value == Decimal("4582000")


_FORM = (
    "2023年度项目支出绩效自评表\n项目名称 | 城乡医疗救助资金\n"
    "项目资金(万元) |  | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分\n"
    " | 年度资金总额 | 1,250.00 | 1,380.00 | 1,376.20 | 10 | 99.72% | 9.97\n"
    " | 上年结转资金 | 20 | 20 | 15 | — | — | —\n"
    "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因\n"
    "产出指标(50分) | 数量指标 | 救助人次 | ≥8000人次 | 8632人次 | 50 | 50 | \n"
    "效益指标(30分) | 社会效益指标 | 就医负担减轻 | 有效减轻 | 有效减轻 | 30 | 28 | \n"
    "满意度指标(10分) | 满意度指标 | 救助对象满意度 | ≥90% | 95% | 10 | 10 | \n"
    "总分 |  |  |  |  | 100 | 97.97 | \n"
)


def test_a_forms_execution_rate_points_are_a_level1_indicator_and_its_total_row_is_read():
    r = report(_FORM)
    rate = r.indicators[0]
    assert (rate.name, rate.max.value, rate.score.value) == ("预算执行率", Decimal("10"), Decimal("9.97"))
    assert grounded(_FORM, rate.score).raw == "9.97"
    assert [i.name for i in r.indicators[1:]] == ["产出指标", "效益指标", "满意度指标"]
    assert grounded(_FORM, r.total_score).value == Decimal("97.97")
    assert errors(_FORM) == []
    # a form's 上年结转资金 row is a source of the project's money, not the unit's carry-over
    assert r.carryover.start is None


def test_every_level_with_its_own_points_column():
    t = (
        "一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值 | 得分\n"
        "投入 | 20 | 预算编制 | 10 | 编制合理性 | 5 | 5\n |  |  |  | 目标明确性 | 5 | 4\n"
        " |  | 预算执行 | 10 | 预算执行率 | 10 | 9\n产出 | 80 | 职责履行 | 80 | 完成数量 | 80 | 76\n"
    )
    (inp, out) = report(t).indicators
    assert inp.max.value == Decimal("20") and [c.max.value for c in inp.children] == [Decimal("10"), Decimal("10")]
    leaves = inp.children[0].children
    assert [(c.name, c.max.value, c.score.value) for c in leaves] == [
        ("编制合理性", Decimal("5"), Decimal("5")),
        ("目标明确性", Decimal("5"), Decimal("4")),
    ]
    assert out.children[0].children[0].max.value == Decimal("80")


def test_an_enumeration_of_indicators_keeps_its_unknown_items_and_their_scores_are_not_the_total():
    t = (
        "本次绩效自评采用百分制，评价指标包括部门决策（20分）、部门管理（30分）、部门绩效（50分）。"
        "经评价，部门决策得分19分，部门管理得分27分，部门绩效得分46分，自评总分92分。\n"
    )
    r = report(t)
    assert [(i.name, i.max.value, i.score.value) for i in r.indicators] == [
        ("决策", Decimal("20"), Decimal("19")),
        ("管理", Decimal("30"), Decimal("27")),
        ("部门绩效", Decimal("50"), Decimal("46")),
    ]
    assert grounded(t, r.total_score).value == Decimal("92")
    assert {c.raw for c in r.candidates["total_score"]} == {"92分"}  # not 部门绩效得分46分
    assert errors(t) == []
    # an unknown item that opens the enumeration cannot be named: nothing is read
    assert report("评价指标包括部门绩效（50分）、部门决策（20分）。\n").indicators == []


def test_a_satisfaction_indicators_score_is_not_the_total():
    r = report("服务对象满意度评价得分9分。自评得分为95分。\n")
    assert r.total_score.value == Decimal("95") and "total_score" not in r.candidates


def test_execution_rates_of_scoring_rules_and_of_funds_are_not_the_projects():
    t = "项目年初预算2,800万元，实际支出2,903.5万元，预算执行率98.42%。\n其中中央资金1,800万元，执行率100%；省级资金700万元，执行率95.6%。\n"
    r = report(t)
    assert grounded(t, r.budget.execution_rate).value == Decimal("98.42")
    assert "budget.execution_rate" not in r.candidates
    cell = "预算执行 | 预算执行率 | 10 | 执行率100%得满分 | 9.6 | 执行率96%\n"
    assert report(cell).budget.execution_rate.value == Decimal("96")


def test_divisions_split_at_he_only_between_whole_names():
    r = report(
        "镇政府下设党政综合办公室、社会事务办公室、自然资源和生态环境办公室等7个内设机构。局内设财务股和业务股2个股室。\n"
    )
    assert r.divisions.value == ["党政综合办公室", "社会事务办公室", "自然资源和生态环境办公室"]
    r = report("本局内设办公室、财务股和业务股3个股室。\n")
    assert r.divisions.value == ["办公室", "财务股", "业务股"]


def test_staff_on_the_establishment_beside_hired_staff_are_not_all_in_service():
    r = report("实有人数72人，其中在编人员64人、聘用人员8人；退休人员9人。\n")
    assert r.headcount.actual.value == 72 and r.headcount.in_service is None
    assert report("在编人员30人，退休人员9人。\n").headcount.in_service.value == 30


def test_a_web_pages_footer_does_not_name_the_unit_and_a_seal_note_is_passed():
    t = (
        "长平区教育体育局2023年度部门整体支出绩效自评报告\n综合得分：95.2分\n打印本页 | 关闭窗口\n"
        "主办单位：长平区人民政府办公室  备案号：12345678号\n"
    )
    assert report(t).department.value == "长平区教育体育局"
    t = "2023年度部门整体支出绩效自评报告\n\n单位名称（盖章）：金沙县统计局\n"
    assert grounded(t, report(t).department).value == "金沙县统计局"


def test_a_count_in_the_qizhong_list_of_the_same_count_is_a_part():
    t = "实有人员52人。离退休人员合计27人，其中离休1人、退休26人。\n"
    r = report(t)
    assert grounded(t, r.headcount.retired).value == 27 and "headcount.retired" not in r.candidates


def test_one_indicator_named_in_a_sentence_is_not_the_list_of_indicators():
    assert report("本部门自评得分95分，其中：预算执行率（10分）得分9.5分。本次评价满分100分。\n").indicators == []


def test_a_grade_band_is_not_a_score_and_a_parts_score_is_not_the_total():
    t = (
        "评价得分90分（含）以上为“优”，80分（含）—90分为“良”。\n"
        "经综合评价，本部门绩效评价得分为87.6分，评价等级为“良”。其中，部门自评得分为92分，财政重点评价核减4.4分。\n"
    )
    r = report(t)
    assert grounded(t, r.total_score).value == Decimal("87.6") and "total_score" not in r.candidates


def test_the_rate_and_the_carryover_of_a_budget_or_of_a_subset_are_not_the_units():
    t = (
        "2023年度本单位调整后预算为221.40万元，全年实际支出219.80万元，预算执行率为99.28%。\n"
        "2023年“三公”经费年初预算8.00万元，实际支出6.52万元，执行率81.5%。\n"
        "2023年度部门预算收入合计890.45万元，其中一般公共预算拨款收入850.45万元，上年结转40.00万元。\n"
    )
    r = report(t)
    assert (
        grounded(t, r.budget.execution_rate).value == Decimal("99.28") and "budget.execution_rate" not in r.candidates
    )
    assert r.carryover.start is None


def test_totals_and_counts_of_a_subordinate_unit_are_not_the_reporting_units():
    t = (
        "霞浦县妇女联合会2023年度部门整体支出绩效自评报告\n县妇联机关编制5名，实有5名；下属单位1个（妇女儿童活动中心），编制3名，实有3名。\n"
        "2023年妇联机关收入合计186.20万元，支出合计182.40万元；妇女儿童活动中心收入合计45.30万元，支出合计44.80万元。\n"
    )
    r = report(t)
    assert (r.headcount.authorized, r.revenue.total, r.expenditure.total) == (None, None, None)
    assert errors(t) == []
    # the unit as a subordinate of another, the unit by its kind, the unit as a whole after its subordinates
    t = (
        "河口镇中心学校2022年度部门整体支出绩效自评报告\n本校为县教育局下属公益一类事业单位，编制12人。\n"
        "2022年学校总收入2,856.30万元，总支出2,840.10万元。下属教学点共3家二级单位，全校现有在职人员118人。\n"
    )
    r = report(t)
    assert (r.headcount.authorized.value, r.headcount.in_service.value) == (12, 118)
    assert grounded(t, r.expenditure.total).value == Decimal("28401000")


def test_several_projects_forms_give_no_budget_indicators_or_total_of_the_report():
    one = (
        "项目支出绩效自评表\n（2023年度）\n项目名称 | {name}\n"
        "项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分\n"
        "年度资金总额 | {b} | {b} | {s} | 10 | {r}% | {p}\n一级指标 | 二级指标 | 三级指标 | 分值 | 得分\n"
        "产出指标 | 数量指标 | 完成数 | 50 | {o}\n效益指标 | 社会效益 | 受益面 | 40 | 40\n总分 |  |  | 100 | {t}\n"
    )
    t = one.format(name="农村危房改造补助", b=260, s=258.6, r=99.46, p=9.95, o=50, t=99.95) + one.format(
        name="城镇老旧小区改造", b=1200, s=1106.5, r=92.21, p=9.22, o=48, t=97.22
    )
    r = report(t)
    assert (r.budget.total, r.budget.spent, r.total_score) == (None, None, None) and r.indicators == []
    assert errors(t) == []
    # one form is read as before
    r = report(one.format(name="农村危房改造补助", b=260, s=258.6, r=99.46, p=9.95, o=50, t=99.95))
    assert r.budget.spent.value == Decimal("2586000") and r.total_score.value == Decimal("99.95")


def test_a_summary_of_many_units_self_evaluations_is_kind_other():
    t = "北河县财政局关于2022年度县级部门整体支出绩效自评结果的报告\n县人民政府：\n2023年，我局组织全县56个部门开展自评。\n"
    assert report(t).kind.value == "other"


_PDF_LIKE = """西陵县疾病预防控制中心
2023年度部门整体支出绩效自评报告
                                                    — 1 —
一、基本情况
本中心核定编制68名，实有在职人员65名，退休人员
34名。
二、部门收支
2023年度本中心收入总计2,345.67万元，其中：财政拨款收
入2,105.67万元，事业收入240.00万元。支出总计2,310.22
万元，其中：基本支出1,560.22万元，项目支出750.00万元。
                                                    — 2 —
三、评价结果
经自评，本中心2023年度部门整体支出绩效得分为
93.8分，评价等级为“优”。
"""


def test_a_pdf_like_report_with_page_markers_and_wrapped_lines():
    r = report(_PDF_LIKE)
    assert (r.department.value, r.fiscal_year.value, r.kind.value) == (
        "西陵县疾病预防控制中心",
        2023,
        "department_overall",
    )
    assert (r.headcount.authorized.value, r.headcount.in_service.value, r.headcount.retired.value) == (68, 65, 34)
    assert grounded(_PDF_LIKE, r.revenue.total).value == Decimal("23456700")
    assert [i.amount.value for i in r.revenue.items] == [Decimal("21056700"), Decimal("2400000")]
    assert grounded(_PDF_LIKE, r.expenditure.total).raw == "2,310.22\n万元"
    assert [i.amount.value for i in r.expenditure.by_type] == [Decimal("15602200"), Decimal("7500000")]
    assert (r.total_score.value, r.grade.value) == (Decimal("93.8"), "优")
    assert errors(_PDF_LIKE) == []


# ---- recall: common wordings (invented snippets) -----------------------------------------


def test_self_score_label_zipingfen():
    t = "四、评价结论\n经评价，本单位自评分：86分，评价等级为良。"
    assert grounded(t, report(t).total_score).value == Decimal(86)
    # an indicator's 自评分 is not the report's
    assert report("（一）产出指标\n产出指标自评分：38分。").total_score is None


def test_self_score_cell_in_a_form():
    t = "项目名称 | 某县示范项目\n总分 | 100 | 自评分 | 86\n"
    assert grounded(t, report(t).total_score).value == Decimal(86)
    # a header cell that ends its line is followed by a row number, not a score
    assert report("序号 | 指标 | 分值 | 自评分\n1 | 投入 | 10 | 9\n").total_score is None


def test_score_table_with_a_zipingfen_column():
    t = "一级指标 | 二级指标 | 分值 | 自评分\n投入 | 预算编制 | 20 | 18\n产出 | 数量 | 80 | 70\n合计 |  | 100 | 88\n"
    r = report(t)
    assert [(i.name, i.children[0].score.value) for i in r.indicators] == [("投入", Decimal(18)), ("产出", Decimal(70))]
    assert grounded(t, r.total_score).value == Decimal(88)


def test_bare_score_after_the_conclusion():
    t = "五、自评结论\n经评价，得分：92分，等级为优。"
    assert grounded(t, report(t).total_score).value == Decimal(92)
    assert report("经评价，产出指标得分：38分。").total_score is None
    # a section about one indicator
    assert report("（一）产出指标（50分）\n经评价，得分：38分。").total_score is None
    assert report("得分：92分").total_score is None


def test_in_service_zaizhi_zaibian():
    t = "本局核定编制16名，在职在编14人，退休5人。"
    r = report(t)
    assert grounded(t, r.headcount.in_service).value == 14 and r.headcount.in_service.raw == "14人"
    assert report("在职在编人员经费14万元。").headcount.in_service is None


def test_unit_type_word_before_total_revenue():
    t = "某县第三人民医院2023年度部门整体支出绩效自评报告\n2023年医院总收入3410.2万元，医院总支出3390.5万元。"
    r = report(t)
    assert grounded(t, r.revenue.total).value == Decimal("34102000")
    assert grounded(t, r.expenditure.total).value == Decimal("33905000")
    # the hospitals below the unit are not the unit
    assert report("某县卫生健康委员会2023年度部门整体支出绩效自评报告\n各医院总收入3410.2万元。").revenue.total is None


def test_final_accounts_expenditure_total():
    t = "某县档案馆2023年度部门整体支出绩效自评报告\n2023年部门决算支出总额为345.6万元。"
    assert grounded(t, report(t).expenditure.total).value == Decimal("3456000")
    assert report("财政拨款决算支出总额为345.6万元。").expenditure.total is None


def test_chained_chinese_year_in_the_body():
    t = "某县林业局部门整体支出绩效自评报告\n本局二〇二三年度收入总计120万元。"
    r = report(t)
    assert grounded(t, r.fiscal_year).value == 2023 and r.fiscal_year.raw == "二〇二三"
    # a date is not the year evaluated
    assert report("某县林业局部门整体支出绩效自评报告\n本局于二〇二四年三月开展自评。").fiscal_year is None


def test_chained_chinese_year_names_another_year():
    t = "某县林业局2023年度部门整体支出绩效自评报告\n二〇二三年收入总计130万元。"
    assert grounded(t, report(t).revenue.total).value == Decimal("1300000")
    # last year's figure, its year written in Chinese numerals, is not this year's
    assert report("某县林业局2023年度部门整体支出绩效自评报告\n二〇二二年收入总计120万元。").revenue.total is None


def test_actual_headcount_shixiang_alone_after_the_establishment():
    t = "本局核定编制15人，实有14人，其中在职人员12人。"
    r = report(t)
    assert grounded(t, r.headcount.actual).value == 14 and r.headcount.authorized.value == 15
    assert report("本局核定编制15人，实有14个下属单位。").headcount.actual is None


def test_retired_cadres():
    t = "本单位在职人员12人，退休干部5人。"
    assert grounded(t, report(t).headcount.retired).value == 5
    assert report("退休干部活动经费5万元。").headcount.retired is None


def test_budget_arranged_at_the_start_of_the_year():
    t = "某县水利局2023年度部门整体支出绩效自评报告\n年初预算安排资金80万元，全年执行数为78.5万元。"
    assert grounded(t, report(t).budget.total).value == Decimal("800000")
    assert report("某县水利局2023年度部门整体支出绩效自评报告\n上年年初预算安排资金80万元。").budget.total is None


def test_grade_pingji():
    t = "经评价，本部门整体支出绩效评级为优。"
    assert grounded(t, report(t).grade).value == "优"
    assert report("绩效评级为优的项目予以奖励。").grade is None


def test_budget_adjusted_mid_year():
    t = "某县医保中心2023年度部门整体支出绩效自评报告\n2023年部门年初预算512.3万元，年中调整预算为630.1万元，全年执行数600.2万元。"
    b = report(t).budget
    assert grounded(t, b.adjusted).value == Decimal("6301000") and b.total.value == Decimal("5123000")
    # the change is not the adjusted budget
    t2 = "某县医保中心2023年度部门整体支出绩效自评报告\n年中调整预算增加117.8万元。"
    assert report(t2).budget.adjusted is None


def test_score_as_a_result_or_assessment():
    for t in ("四、评价结论\n自评结果为92分，等级为优。", "综合评定得分92分。", "经评价，评分结果为92分。"):
        assert grounded(t, report(t).total_score).value == Decimal(92), t
    # a section about one indicator, and a grade without a figure
    assert report("（一）产出指标\n评价结果为38分。").total_score is None
    assert report("评价结果90分以上为优。").total_score is None


def test_in_service_staff_count_wording():
    t = "本单位在职职工人数14人，退休人员3人。"
    assert grounded(t, report(t).headcount.in_service).value == 14
    assert report("在职职工人数较上年减少2人。").headcount.in_service is None


def test_year_total_as_zonge():
    t = "某县文化馆2023年度部门整体支出绩效自评报告\n本年度收入总额为120万元，本年度支出总额为118万元。"
    r = report(t)
    assert grounded(t, r.revenue.total).value == Decimal("1200000")
    assert grounded(t, r.expenditure.total).value == Decimal("1180000")
    assert report("本年度收入总额较上年增加20万元。").revenue.total is None


def _actual_parts(t: str) -> list[tuple[str, int]]:
    return [(p.name, p.count.value) for p in report(t).headcount.actual_breakdown]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "年末实有人数30人，其中在职人员21人，离休人员1人，退休人员6人，遗属人员2人。",
            [("在职人员", 21), ("离休人员", 1), ("退休人员", 6), ("遗属人员", 2)],
        ),
        ("实有人数30人，其中：在职21人、退休7人、离休2人。", [("在职", 21), ("退休", 7), ("离休", 2)]),
        # a category's own parts in brackets are skipped
        ("实有人数30人，其中在职人员21人（4个行政编、17个事业编），退休人员9人。", [("在职人员", 21), ("退休人员", 9)]),
        # in brackets, the categories are named like the in-service and retired counts
        ("实有人员30人（其中在职21人（在编19人）、退休8人、离休1人）。", [("在职", 21), ("退休", 8), ("离休", 1)]),
        # a second 其中 lists one category's parts: the list ends there
        ("实有人数30人，其中在职人员21人，其中在编19人，退休9人。", [("在职人员", 21)]),
    ],
)
def test_categories_listed_after_the_actual_count(text, parts):
    assert _actual_parts(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "实有人数30人，其中在职人员21人，比上年减少2人，退休人员9人。",  # a change is not a category
        "实有人数30人，其中财政全额保障30人，差额补助0人。",  # not a list of staff categories
        "实有人员30人（机关18人、下属站12人）。",
        "实有人数30人。在职人员21人，退休人员9人。",  # not listed with it
    ],
)
def test_no_categories_listed_after_the_actual_count(text):
    assert _actual_parts(text) == []


def test_the_actual_count_balances_against_its_categories():
    """离休 and 遗属 listed with 在职 and 退休 make the actual count: no HC001 error; one more is one."""
    t = "示例县文化馆2024年度部门整体支出绩效自评报告\n年末实有人数{n}人，其中在职人员21人，离休人员1人，退休人员6人，遗属人员2人。\n"
    assert [f.rule for f in extract_text(t.format(n=30)).findings if f.rule == "HC001"] == []
    found = [f for f in extract_text(t.format(n=31)).findings if f.rule == "HC001"]
    assert [(f.severity, f.expected, f.found) for f in found] == [("error", "30", "31")]
    span = report(t.format(n=30)).headcount.actual_breakdown[1].count.span
    assert t.format(n=30)[span[0] : span[1]] == "1人"


def test_a_letter_spaced_report_reads_like_a_plain_one():
    # text a PDF converter wrote one positioned glyph at a time, and a title spaced for display
    plain = (
        "东城区文化馆2023年度部门整体支出绩效自评报告\n一、部门基本情况\n"
        "2023年度本年收入合计512.30万元，本年支出合计498.70万元。\n"
    )
    spaced = "\n".join(" ".join(line) for line in plain.split("\n"))
    a, b = extract_text(plain).report, extract_text(spaced).report
    assert b.department.value == a.department.value == "东城区文化馆"
    assert b.fiscal_year.value == a.fiscal_year.value == 2023
    assert b.kind.value == a.kind.value == "department_overall"
    assert b.revenue.total.value == a.revenue.total.value == Decimal("5123000")
    assert b.expenditure.total.value == a.expenditure.total.value


def test_a_project_form_pasted_as_tab_separated_lines_reads_like_a_pipe_table():
    rows = [
        ["项目资金(万元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", "120.00", "126.00", "118.44", "10", "94.00%", "9.4"],
    ]
    title = "示例县文化馆2023年度群众文化活动项目支出绩效自评表\n"
    piped = extract_text(title + "\n".join(" | ".join(r) for r in rows) + "\n").report
    tabbed = extract_text(title + "\n".join("\t".join(r) for r in rows) + "\n").report
    assert tabbed.budget.total.value == piped.budget.total.value == Decimal("1200000")
    assert tabbed.budget.adjusted.value == piped.budget.adjusted.value
    assert tabbed.budget.spent.value == piped.budget.spent.value
    assert tabbed.budget.execution_rate.value == piped.budget.execution_rate.value == Decimal("94.00")


@pytest.mark.parametrize(
    ("line", "unit"),
    [
        (
            "当前位置: 首页 > 信息公开 > 绩效评价 时效性: 有效 示例县疾病预防控制中心2023年度部门整体支出绩效自评报告 "
            "一、部门基本情况 本中心内设科室5个，年末实有人数20人。",
            "示例县疾病预防控制中心",
        ),
        (
            "发布日期: 2023-05-12 来源:示例市民政局 示例市特殊教育学校 2022年度决算公开报告 目录 第一部分 部门概况 "
            "一、主要职能 本校主要承担全市特殊教育工作。",
            "示例市特殊教育学校",
        ),
    ],
    ids=["after-page-chrome", "after-a-source-label"],
)
def test_a_title_inside_a_long_line_after_the_pages_chrome(line, unit):
    # a web page's chrome and the report run together onto one line (its line breaks lost)
    r = extract_text(line + "\n").report
    assert r.department.value == unit
    assert r.title is not None and r.title.value.startswith(unit)


def test_a_share_of_a_subsets_total_is_not_recorded_as_the_share_of_the_units():
    # 占一般公共预算财政拨款总支出的60.00%: a share of the fund's spending, not of 本年支出合计
    text = (
        "某局2023年度部门决算\n本年支出合计1000.00万元，其中：基本支出700.00万元，占本年支出合计的70.00%；"
        "项目支出300.00万元，占一般公共预算财政拨款总支出的60.00%。\n"
    )
    result = extract_text(text)
    by_type = {item.name: item for item in result.report.expenditure.by_type}
    assert by_type["基本支出"].share.value == Decimal("70.00")
    assert by_type["项目支出"].amount.value == Decimal("3000000") and by_type["项目支出"].share is None
    assert not [f for f in result.findings if f.severity == "error"]
