"""The report's identity (unit, year, kind, title) on invented snippets, one per layout real reports
use and one per kind of junk that must be refused (issue 12)."""

from __future__ import annotations

import pytest

from extractor import extract_text


def report(text: str):
    return extract_text(text, verify=False).report


def value(text: str, grounded):
    """A grounded value, checked to be a slice of the text."""
    if grounded is None:
        return None
    assert text[grounded.span[0] : grounded.span[1]] == grounded.raw
    return grounded.value


# ---- the unit's name from a form's labels ----------------------------------------------------------

FORM_ONE_CELL_PER_LINE = (
    "某某设备更新经费 绩效自评表\n\n附件1\n\n项目支出绩效自评表\n\n2021年度)\n\n项目名称\n\n某某设备更新经费\n\n"
    "主管部门\n\n某市某某委\n\n实施单位\n\n某市第三职业学校\n\n项目资金\n(万元)\n\n \n\n年初\n\n预算数\n"
)
FORM_INDENTED = (
    "    项目支出绩效自评表\n\n    2022年度)\n\n    项目名称\n\n    某某补助资金\n\n    主管部门\n\n"
    "    某市人力资源和社会保障局\n\n    实施单位\n\n    某市人力资源和社会保障局\n\n    项目资金\n"
)
FORM_PIPE_CELLS = "(某某救助)绩效目标自评表\n绩效目标自评表 (2020年度) |\n||||||\n项目名称 |\n某某救助 |\n主管部门 |\n[208]某县民政局 |\n"
FORM_SEAL_AND_YEAR_LABEL = (
    "附件2:项目支出绩效自评报告.pdf\n附件2\n项目支出绩效自评报告\n项目名称:某某水库加固工程\n评价年度:2022\n"
    "预算部门单位(公章):某县水务局\n填报日期:2023年4月25日\n一、基本情况\n"
)
FORM_GLUED_HEAD = (
    "2020年度县级专项资金绩效目标自评表.docx\n1、2020年度县级专项资金绩效目标自评表专项资金名称县级某某储备负责人及电话某某县级主管部门某县商务和粮食局"
    "实施单位某某调控与发展股项目资金(万元)全年预算数(A)全年执行数(B)执行率(B/A)"
)
FORM_GRID_CELL = (
    "部门整体支出绩效自评表 | |||||||\n(2023年度) | |||||||\n部门 | 某县某某建设服务中心 | ||||||\n预算资金 |\n"
)


@pytest.mark.parametrize(
    "text,unit,year",
    [
        (FORM_ONE_CELL_PER_LINE, "某市第三职业学校", 2021),
        (FORM_INDENTED, "某市人力资源和社会保障局", 2022),
        (FORM_PIPE_CELLS, "某县民政局", 2020),
        (FORM_SEAL_AND_YEAR_LABEL, "某县水务局", 2022),
        (FORM_GLUED_HEAD, "某县商务和粮食局", 2020),
        (FORM_GRID_CELL, "某县某某建设服务中心", 2023),
    ],
    ids=[
        "value-on-a-later-line",
        "indented-cells",
        "pipe-cells-and-a-code",
        "seal-and-year-label",
        "glued-head",
        "grid-cell",
    ],
)
def test_the_unit_and_year_of_a_form(text, unit, year):
    r = report(text)
    assert value(text, r.department) == unit
    assert value(text, r.fiscal_year) == year


def test_an_implementing_units_internal_section_is_not_the_unit_but_its_supervisor_is():
    # the glued form's 实施单位 is a section (…股), never a unit: the supervising department is taken
    r = report(FORM_GLUED_HEAD)
    assert r.department.value == "某县商务和粮食局" and r.department.pattern == "department.label"


def test_a_label_followed_by_prose_is_not_a_name():
    assert report("实施单位对项目资金开展了自查。\n主管部门按要求进行了复核。").department is None


# ---- the unit's name from the title -------------------------------------------------------------


@pytest.mark.parametrize(
    "text,unit",
    [
        ("  • 无障碍浏览\n  • 个人中心\n某州某某疾病控制中心 2021年部门预算公开说明\n\n正文。", "某州某某疾病控制中心"),
        ("  • 时效性\n    有效\n\n某市第二十中学校2024年度部门整体支出绩效自评报告\n\n正文。", "某市第二十中学校"),
        (
            "文档简介\n\nPAGE12PAGE3某区某某路第一幼儿园2021年度部门决算(草案)目录第一部分2021年度部门决算报表",
            "某区某某路第一幼儿园",
        ),
        (
            "某县某某民族乡人民政府(部门)2021年度部门决算公开说明.pdf\n某省 2021 年度部门决算公开说明",
            "某县某某民族乡人民政府",
        ),
        (
            "2018年某中社区决算公开.pdf\n某市某区某某中路 社区公共服务中心 2018年度部门决算 1 目录 第一部分 部门概况",
            "某市某区某某中路社区公共服务中心",
        ),
        (
            "决算公开\n\n您所在的位置: 网站首页 > 正文\n\n 信息名称  某县第三幼儿园2023年部门决算公开说明\n\n 公开日期  2024-09-19\n",
            "某县第三幼儿园",
        ),
        (
            "预算绩效管理\n- 发布机构: 某州卫生健康委员会\n某州第三人民医院某某补助资金2023年度绩效自评报告\n一、绩效目标",
            "某州第三人民医院",
        ),
        (
            "2022年度部门(单位)整体支出绩效自评报告\n来源:某某妇联 作者:某某 发布时间:2023-12-04\n\n"
            " 2022年度某市某区妇女联合会部门(单位)整体支出绩效自评报告\n\n一、部门(单位)基本情况",
            "某市某区妇女联合会",
        ),
        (
            "1、1某市某区某某镇社区卫生服务中心 2017 年度决算2目录第一部 某市某区某某镇社区卫生服务中心概况、 主要职能、 机构设置"
            "第二部 年度决算表一、收入支出决算总表二、收入决算表",
            "某市某区某某镇社区卫生服务中心",
        ),
        (
            "某团委2021年度部门整体支出绩效评价报告.docx\n某某团某市某区委员会 2021 年度部门整体支出绩效评价报告 一、部门概况",
            "某某团某市某区委员会",
        ),
        (
            "当前位置: 首页 / 政务公开 / 绩效评价 2022年度部门(单位)整体支出 绩效自评报告 来源:某某妇联 作者:某某"
            " 发布时间:2023-12-04 字体: 放大 缩小 2022年度某市某区妇女联合会部门(单位)整体支出绩效自评报告"
            " 一、部门(单位)基本情况 (一)主要职能 团结和引导妇女。",
            "某市某区妇女联合会",
        ),
        (
            "某县某某乡人民政府(部门)2021年度部门决算公开说明.pdf\n某省 2021 年度部门决算公开说明 某县某某"
            " 乡人民政府 2021 年度部门决算 公开说明 目 录 第一部分 部门概况 第二部分 部门决算表 一、收入支出决算总表"
            " 二、收入决算表 三、支出决算表 四、财政拨款收入支出决算总表 五、一般公共预算财政拨款支出决算表",
            "某县某某乡人民政府",
        ),
        (
            "搜索 真正让“某某效率”成为“某某品牌” 某县总工会2020年度部门决算\n"
            "2021-8-16 10:27| 发布者: 某县人民政府| 查看: 80|\n一、部门概况\n",
            "某县总工会",
        ),
        (
            "(一)职能职责 街道的主要职能是:1、承担辖区党的建设职责。2、承担辖区经济发展职责。 (二)机构设置"
            " 某某街道办事处内设 10 个办公室:党政办公室、经济发展办公室。 (三)单位构成 本部门无二级预算单位。",
            "某某街道办事处",
        ),
        (
            "2018年某中社区决算公开.pdf 某某市城东区某某中路 社区公共服务中心 2018年度部门决算 1 目录 第一部分 部门概况"
            " 一、部门职责 二、机构设置情况 第二部分 2018年度部门决算报表 一、部门收支总体情况表 二、部门收入总体情况表",
            "某某市城东区某某中路社区公共服务中心",
        ),
        (
            "当前位置: 首页 > 信息公开 > 财政预决算 主题词 某市图书馆2022年度部门整体支出绩效自评报告 一、部门概况"
            " (一)主要职能 某市图书馆是公益一类事业单位,主要承担图书借阅服务。",
            "某市图书馆",
        ),
    ],
    ids=[
        "bullet-chrome-above",
        "metadata-value-above",
        "word-field-codes",
        "file-name-with-a-bracket-note",
        "file-name-abbreviated",
        "generic-heading-then-labelled-title",
        "channel-heading-then-title",
        "generic-title-then-full-title",
        "document-site-chunk-number",
        "file-name-then-glued-title",
        "generic-title-then-full-title-on-one-line",
        "file-name-then-a-name-broken-by-a-space",
        "search-box-and-slogan-before-the-title",
        "a-heading-then-the-unit-on-one-line",
        "file-name-glued-to-a-title-whose-name-a-space-breaks",
        "metadata-values-before-a-glued-title",
    ],
)
def test_the_unit_from_a_title_behind_chrome_and_glue(text, unit):
    assert value(text, report(text).department) == unit


@pytest.mark.parametrize("joined", [False, True])
def test_a_metadata_value_is_no_fuller_name_even_when_its_label_ends_a_joined_line(joined):
    # a page's "发文机构" and its value, the label joined to the line above it (wrapped lines joined)
    label = "- 01525688-5-/2019-0301002" + ("- 发文机构" if joined else "\n- 发文机构")
    t = (
        f"某区教育局(机关)2019年部门预算公开\n- 索引号\n{label}\n- 某区教育体育局\n- 公开目录\n"
        "某区教育局2019年部门预算公开\n一、基本职能\n某区教育局属财政全额拨款单位。\n"
    )
    assert report(t).department.value == "某区教育局"


def test_a_title_after_chrome_on_one_line_that_opens_with_neither_a_name_nor_its_year():
    t = (
        "当前位置:首页>公告公示 日期:2024-06-06 10:51 来源:某市某区残疾人联合会 录入:web"
        " 中央转移支付2023年残疾人事业发展补助资金项目绩效自评报告 一、 项目基本情况 (一)项目基本情况简介。"
        " 本项目属2023年中央提前下达的资金,安排残疾儿童救助38.47万元。\n"
    )
    r = report(t)
    assert r.title.value == "中央转移支付2023年残疾人事业发展补助资金项目绩效自评报告"
    assert r.fiscal_year.value == 2023 and r.kind.value == "project"


def test_a_title_after_a_long_metadata_block_on_one_line():
    block = (
        "[ 索引号 ] 11500000000000000X/2021-00230 [ 发文字号 ] [ 主题分类 ] 其他 [ 体裁分类 ] 其他"
        " [ 发布机构 ] 某区发展改革委 [ 发布日期 ] 2021-08-03 [ 成文日期 ] 2021-07-30 [ 有效性 ] "
    )
    t = (
        "首页 > 政务公开 > 区政府部门 > 发展和改革委员会 > 政务公开 > 预算/决算 > 预算 "
        + block * 2
        + "某市某区发展和改革委员会2020年度部门整体支出绩效自评报告 一、基本情况 (一)部门基本情况。"
        " 区发展改革委是区政府综合经济方面的牵头主管部门。\n"
    )
    r = report(t)
    assert r.department.value == "某市某区发展和改革委员会" and r.fiscal_year.value == 2020


def test_a_form_label_reaches_its_value_in_double_spaced_text():
    # a form flattened one cell per line, every line followed by an empty one, each cell's padding a
    # line of its own
    cells = [
        "项目支出绩效自评表",
        "(2019年度)",
        "项目名称",
        "教学楼维修",
        "实施单位",
        " ",
        "某市第一中学",
        "年初预算数",
    ]
    t = "\n\n".join(cells) + "\n"
    assert report(t).department.value == "某市第一中学"


def test_a_form_cell_label_alone_on_its_line_takes_the_next_line():
    # a form written one cell per line: the bare 部门 cell, then its value
    # (empty cells between: the name is not just below the title)
    t = "部门整体支出绩效自评表\n\n\n\n\n(2023年度)\n\n\n\n\n部门\n某县某某建设服务中心\n\n\n\n预算资金 (万元)\n年初预算数\n"
    assert report(t).department.value == "某县某某建设服务中心"


def test_a_title_line_starting_with_its_year_keeps_the_name_on_the_line_above():
    t = "某市某中学校\n2025年单位预算情况说明\n正文。"
    r = report(t)
    assert r.title.value == "某市某中学校2025年单位预算情况说明" and r.department.value == "某市某中学校"


def test_a_title_glued_to_an_annex_label_and_the_first_sentence():
    t = "附件3四川省某县2021年中央某某监管专项转移支付绩效自评报告为进一步规范资金管理,我局开展了自评。"
    r = report(t)
    assert r.title.value == "四川省某县2021年中央某某监管专项转移支付绩效自评报告"
    assert r.kind.value == "project" and r.fiscal_year.value == 2021
    assert r.department is None  # a county is not a unit


# ---- a name's full form, where the text states it --------------------------------------------------


def test_the_full_form_that_opens_a_sentence_replaces_the_titles_short_one():
    t = "某关卫生院2021年度部门决算公开说明\n一、某关卫生院单位基本概况\n某关镇中心卫生院现有职工19人。"
    assert value(t, report(t).department) == "某关镇中心卫生院"


def test_a_place_named_in_passing_is_not_the_units_full_form():
    t = "某县人民政府2022年度部门整体支出绩效自评报告\n全县下辖多个乡镇,某县城关镇人民政府负责集镇建设。"
    assert report(t).department.value == "某县人民政府"


@pytest.mark.parametrize(
    "text,unit",
    [
        (
            '某县总工会2020年度部门决算\n摘要: {"附件":[{"Name":"某省某市某县总工会附表.XLS"}]}\n一、部门概况',
            "某县总工会",
        ),
        ("某区教育局2019年部门预算公开\n- 索引号\n- 发文机构\n- 某区教育体育局\n- 日期\n正文。", "某区教育局"),
    ],
    ids=["file-name-in-metadata", "publisher-in-a-metadata-block"],
)
def test_a_pages_metadata_is_not_the_units_full_form(text, unit):
    assert report(text).department.value == unit


# ---- the unit's name from the body ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,unit,pattern",
    [
        (
            "依据有关规定,某省残疾人联合会(以下简称“省残联”)组建工作专班,开展自评。",
            "某省残疾人联合会",
            "department.alias",
        ),
        (
            "第一部分某自治区机关事务管理局概况\n一、主要职能\n承担后勤事务。",
            "某自治区机关事务管理局",
            "department.heading",
        ),
        (
            "一、部门职责\n某乡的机构包括乡党委和乡政府。某乡人民政府属于基层国家行政机关。",
            "某乡人民政府",
            "department.opening",
        ),
        ("(二)机构设置\n某某门街道办事处内设 8 个办公室:党政办公室。", "某某门街道办事处", "department.opening"),
        (
            "(一)主要职能。\n某市某区某乡中心学校主要工作职责是:开展义务教育。",
            "某市某区某乡中心学校",
            "department.opening",
        ),
    ],
    ids=["alias", "overview-heading", "sentence-after-a-full-stop", "internal-divisions", "duties"],
)
def test_the_unit_from_the_body(text, unit, pattern):
    d = report(text).department
    assert value(text, d) == unit and d.pattern == pattern


# ---- junk that is never a name ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "办公楼、食堂及餐厅维修经费 绩效自评表(修改)\n\n附件1\n\n项目支出绩效自评表\n",
        "(图1:收、支决算总计变动情况图)\n收入支出决算总表\n本年收入合计100万元。",
    ],
    ids=["an-enumeration", "captions"],
)
def test_junk_is_not_the_unit(text):
    r = report(text)
    assert r.department is None
    assert r.title is None or "(" not in r.title.value[:1]


def test_a_name_is_never_cut_inside_a_bracket():
    t = "某县某某乡人民政府(部2021年度部门决算公开说明\n\n正文。"
    assert report(t).department.value == "某县某某乡人民政府"


def test_captions_and_table_names_are_not_titles():
    r = report("(图1:收、支决算总计变动情况图)\n收入支出决算总表\n本年收入合计100万元。")
    assert r.title is None


# ---- fiscal year ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,year",
    [
        ("某市财政局:\n为加强管理,现将某市2023年度衔接资金绩效自评情况报告如下:\n一、工作开展情况", 2023),
        ("一、专项概况\n2022年财政预算我单位专项资金:某某经费30万元。", 2022),
        ("一、部门收支预算\n某局2013年收支总预算400万元,比2012年预算增加50万元。", 2013),
    ],
    ids=["subject-sentence", "budget-year", "a-compared-year-passed-over"],
)
def test_the_year_without_a_title(text, year):
    assert value(text, report(text).fiscal_year) == year


@pytest.mark.parametrize(
    "text",
    [
        "依照《关于做好2021年度部门整体支出绩效自评工作的通知》要求,我单位开展了自评。",
        "填报日期:2023年4月25日\n正文。",
        "一、部门收支预算\n比2012年预算增加50万元。",
    ],
    ids=["a-cited-document", "a-filing-date", "a-compared-year"],
)
def test_years_that_are_not_the_reports(text):
    assert report(text).fiscal_year is None


# ---- report kind --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,kind",
    [
        ("某省某某补助资金(省对下转移支付)项目2018年度绩效自评报告\n正文。", "project"),
        ("某市第二十中学校2024年度部门整体和项目支出绩效自评报告\n正文。", "department_overall"),
        ("某区第七幼儿园2024年财政预算支出绩效自评情况报告\n正文。", "department_overall"),
        ("某某道路改造项目预算支出绩效自评报告\n正文。", "project"),
        ("(临时救助)绩效目标自评表\n正文。", "project"),
        ("项目实施绩效自评报告 篇3\n正文。", "project"),
        ("某县林业局2022年中央林业改革转移支付绩效自评报告\n正文。", "project"),
        ("某中心2017年度决算\n正文。", "final_accounts"),
    ],
    ids=[
        "year-inside",
        "overall-and-projects",
        "whole-budget",
        "a-projects-budget",
        "target-form",
        "implementation",
        "transfer-payment",
        "bare-jue-suan",
    ],
)
def test_kind_from_the_title(text, kind):
    assert report(text).kind.value == kind


@pytest.mark.parametrize(
    "text,kind",
    [
        ("一、基本情况\n(一)项目概况\n某某工程的实施是为了提升污水收集率。", "project"),
        ("某市财政局:\n现将某市2023年度衔接资金绩效自评情况报告如下:\n一、工作开展情况", "project"),
        ("第一部分某局概况\n一、主要职能\n第二部分某局部门预算安排情况说明\n一、收支预算总体情况", "other"),
    ],
    ids=["project-headings", "subject-sentence", "budget-disclosure-sections"],
)
def test_kind_without_a_title(text, kind):
    r = report(text)
    assert r.title is None and r.kind.value == kind


def test_an_empty_cell_does_not_lend_the_next_label_as_a_name():
    t = "项目名称\n\n某某经费\n\n实施单位\n\n主管部门\n\n某县财政局\n\n项目资金\n"
    assert value(t, report(t).department) == "某县财政局"


@pytest.mark.parametrize(
    "text,unit",
    [
        (
            "2023年某县农产品交易市场仓储基地建设项目绩效自评报告\n\n一、基本情况\n县财政向我局下达资金800万元,我局开展了自评。",
            None,
        ),
        ("2023年某县第一中学教学楼建设项目绩效自评报告\n\n一、基本情况\n我校对该项目开展了自评。", "某县第一中学"),
        ("2023年某县第一中学教学楼建设项目绩效自评报告\n\n一、基本情况\n本单位对该项目开展了自评。", "某县第一中学"),
    ],
    ids=["a-market-in-a-bureaus-project", "a-schools-project", "no-word-for-itself"],
)
def test_a_name_inside_a_projects_name_must_agree_with_what_the_report_calls_itself(text, unit):
    assert value(text, report(text).department) == unit


@pytest.mark.parametrize(
    "text,unit",
    [
        ("2022年度某县卫生健康局所属单位部门整体支出绩效自评报告\n\n我局开展了自评。", "某县卫生健康局"),
        ("某县财政局会议室改造项目绩效自评报告\n\n我局开展了自评。", "某县财政局"),
        ("某县财政局部门2022年度部门整体支出绩效自评报告\n\n正文。", "某县财政局"),
        ("某县教育局部署2022年度项目支出绩效自评报告\n\n正文。", "某县教育局"),
    ],
    ids=["suo-shu", "a-meeting-room", "bu-men", "bu-shu"],
)
def test_a_name_does_not_end_inside_the_next_word(text, unit):
    assert value(text, report(text).department) == unit


@pytest.mark.parametrize(
    "text,unit",
    [
        ("收入支出决算总表\n部门:某县第二中学 单位:万元\n项目 | 行次 | 金额\n", "某县第二中学"),
        ("收入支出决算总表\n编制部门:某县第二中学  金额单位:万元\n项目 | 行次 | 金额\n", "某县第二中学"),
        ("财政拨款收入支出决算总表\n编制单位:某县林业局 | 单位:元\n", "某县林业局"),
    ],
    ids=["bu-men", "bian-zhi-bu-men", "bian-zhi-dan-wei"],
)
def test_the_unit_on_a_final_accounts_tables_header(text, unit):
    assert value(text, report(text).department) == unit


def test_a_numbered_unit_keeps_its_digits():
    r = report("北京市第35中学2023年度部门整体支出绩效自评报告\n一、基本情况\n本校编制80人。\n")
    assert r.department.value == "北京市第35中学"
