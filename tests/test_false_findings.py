"""Consistent reports get no error finding: invented snippets in the wordings reports commonly use,
each one's figures adding up, each once gave a false error or a wrong value."""

from __future__ import annotations

from decimal import Decimal

import extractor


def _errors(result) -> list[str]:
    return [f.rule for f in result.findings if f.severity == "error"]


def _by_type(result) -> dict[str, Decimal]:
    return {i.name: i.amount.value for i in result.report.expenditure.by_type}


HEAD = "某县交通运输局2023年度部门整体支出绩效自评报告\n（二）支出情况\n"


def test_a_class_named_with_zhong_heads_its_list():
    """ "交通运输支出5,300万元中，基本支出…": one class's spending by type, not the unit's."""
    text = HEAD + (
        "2023年度总支出5,600.00万元。从支出功能看，一般公共服务支出20.00万元，社会保障和就业支出150.00万元，"
        "卫生健康支出60.00万元，交通运输支出5,300.00万元，住房保障支出70.00万元。\n"
        "交通运输支出5,300.00万元中，基本支出520.00万元，项目支出4,780.00万元。\n"
    )
    result = extractor.extract_text(text)
    assert _by_type(result) == {}
    assert _errors(result) == []


def test_a_class_list_past_the_class_share():
    """ "交通运输支出5,300万元，占94.64%，其中基本支出…": the share clause does not hide the class."""
    text = HEAD + (
        "2023年度总支出5,600.00万元。\n"
        "在总支出中，交通运输支出5,300.00万元，占94.64%，其中基本支出520.00万元，项目支出4,780.00万元。\n"
    )
    result = extractor.extract_text(text)
    assert _by_type(result) == {}
    assert _errors(result) == []


def test_the_units_own_list_after_a_class_list_is_kept():
    """The unit's own by-type list stays when a class's list follows it (the two no longer disagree)."""
    text = HEAD + (
        "2023年度总支出5,600.00万元，其中：基本支出800.00万元，项目支出4,800.00万元。\n"
        "交通运输支出5,300.00万元中，基本支出520.00万元，项目支出4,780.00万元。\n"
    )
    result = extractor.extract_text(text)
    assert _by_type(result) == {"基本支出": Decimal("8000000"), "项目支出": Decimal("48000000")}
    assert _errors(result) == []


def test_a_unit_list_after_zhong_is_still_the_units():
    """ "在总支出中，基本支出…" heads the unit's own list: still read."""
    text = HEAD + "2023年度总支出5,600.00万元。在总支出中，基本支出800.00万元，项目支出4,800.00万元。\n"
    result = extractor.extract_text(text)
    assert _by_type(result) == {"基本支出": Decimal("8000000"), "项目支出": Decimal("48000000")}
    assert _errors(result) == []


def test_a_list_after_the_organs_own_total_is_not_the_units():
    """ "本级支出760万元，其中基本支出…；所属单位支出…": the parts are the organ's, whose total is not
    the unit's 支出总计."""
    text = HEAD + (
        "2023年度支出总计980.00万元。\n本级支出760.00万元，其中基本支出460.00万元，项目支出300.00万元；"
        "所属单位支出220.00万元，其中基本支出120.00万元，项目支出100.00万元。\n"
    )
    result = extractor.extract_text(text)
    assert result.report.expenditure.total.value == Decimal("9800000")
    assert _by_type(result) == {}
    assert _errors(result) == []


def test_a_list_after_the_years_own_total_is_kept():
    """ "本年支出合计940万元，其中基本支出…" beside a 支出总计 that holds the carry-over: the year's parts."""
    text = HEAD + (
        "2023年度支出总计986.30万元，年末结转和结余46.30万元。本年支出合计940.00万元，其中：基本支出420.00万元，"
        "项目支出520.00万元。\n"
    )
    result = extractor.extract_text(text)
    assert _by_type(result) == {"基本支出": Decimal("4200000"), "项目支出": Decimal("5200000")}
    assert _errors(result) == []


GRADES = "某县住房和城乡建设局2023年度部门整体支出绩效自评报告\n五、评价结论\n评分等级：90-100分为优秀，80-89分为良好，60-79分为合格，60分以下为不合格。"


def test_a_whole_number_band_holds_its_top_score():
    """ "80-89分为良好": a score of 89 is 良, not outside every band."""
    result = extractor.extract_text(GRADES + "本次自评得分89分，自评等级为良好。\n")
    assert [f.rule for f in result.findings if f.rule == "GRD001"] == []
    good = next(b for b in result.report.grade_bands.bands if b.grade.startswith("良"))
    assert (good.min, good.max, good.max_inclusive) == (Decimal(80), Decimal(89), True)


def test_a_whole_number_band_still_checks_the_grade():
    """The same bands with a grade one band too high: an error."""
    result = extractor.extract_text(GRADES + "本次自评得分89分，自评等级为优秀。\n")
    assert "GRD001" in _errors(result)


def test_a_budget_under_a_projects_heading_is_the_projects():
    """A department's report that gives each project under its own heading: "（二）某某项目" over
    "全年预算数300万元" is the project's budget, not a restatement of the department's."""
    text = (
        "某县卫生健康局2023年度部门整体支出绩效自评报告\n一、部门预算执行情况\n"
        "2023年全年预算数2,000.00万元，全年执行数1,960.00万元，预算执行率98%。\n"
        "二、重点项目执行情况\n（一）基本公共卫生服务项目\n"
        "该项目全年预算数800.00万元，全年执行数780.00万元，预算执行率97.5%。\n"
        "（二）计划生育奖励扶助项目\n全年预算数300.00万元，执行数300.00万元，执行率100%。\n"
    )
    result = extractor.extract_text(text)
    budget = result.report.budget
    assert (budget.adjusted.value, budget.spent.value) == (Decimal("20000000"), Decimal("19600000"))
    assert budget.execution_rate.value == Decimal("98")
    assert _errors(result) == []


def test_a_project_reports_own_headings_do_not_hide_its_budget():
    """In a project's own report, "二、项目资金情况" heads the project's figures: still read."""
    text = (
        "某区教育局2023年度校舍维修项目支出绩效自评报告\n二、项目资金情况\n"
        "全年预算数480.00万元，全年执行数456.00万元，预算执行率95%。\n"
    )
    budget = extractor.extract_text(text).report.budget
    assert (budget.adjusted.value, budget.execution_rate.value) == (Decimal("4800000"), Decimal("95"))


REVENUE = "某县自然资源局2023年度部门整体支出绩效自评报告\n（一）收入情况\n2023年度收入总计1,250.60万元，其中："


def _items(result) -> dict[str, Decimal]:
    return {i.name: i.amount.value for i in result.report.revenue.items}


SOURCES = {"财政拨款收入": Decimal("11006000"), "事业收入": Decimal("1000000"), "其他收入": Decimal("500000")}


def test_a_note_in_brackets_on_one_source_is_not_a_source():
    """ "财政拨款收入1,100.60万元（其中一般公共预算…，政府性基金…）": the bracket's parts are the item's."""
    text = REVENUE + (
        "财政拨款收入1,100.60万元（其中一般公共预算财政拨款1,000.60万元，政府性基金预算财政拨款100.00万元），"
        "事业收入100.00万元，其他收入50.00万元。\n"
    )
    result = extractor.extract_text(text)
    assert _items(result) == SOURCES
    assert _errors(result) == []


def test_a_sources_own_list_is_not_more_sources():
    """ "财政拨款收入1,100.60万元，其中一般公共预算…、政府性基金…；事业收入…": a list inside the list."""
    text = REVENUE + (
        "财政拨款收入1,100.60万元，其中一般公共预算财政拨款收入1,000.60万元、政府性基金预算财政拨款收入100.00万元；"
        "事业收入100.00万元；其他收入50.00万元。\n"
    )
    result = extractor.extract_text(text)
    assert _items(result) == SOURCES
    assert _errors(result) == []


def test_a_sublist_that_makes_up_no_source_leaves_the_list_unread():
    """A list inside the list whose parts make up nothing before them: no sure reading, no items."""
    text = REVENUE + (
        "财政拨款收入1,100.60万元，其中一般公共预算财政拨款收入900.00万元、政府性基金预算财政拨款收入100.00万元；"
        "事业收入100.00万元；其他收入50.00万元。\n"
    )
    result = extractor.extract_text(text)
    assert _items(result) == {}


def test_a_list_of_the_largest_classes_with_their_shares_is_partial():
    """ "主要用于：教育支出…，占90.00%；…，占6.00%；…，占2.00%": shares short of 100% say the list
    names only the largest classes; their amounts falling short of the total is no contradiction."""
    text = (
        "某县教育体育局2023年度部门整体支出绩效自评报告\n（二）支出情况\n2023年度支出总计12,000.00万元。"
        "按功能分类，主要用于：教育支出10,800.00万元，占90.00%；社会保障和就业支出720.00万元，占6.00%；"
        "卫生健康支出240.00万元，占2.00%。\n"
    )
    result = extractor.extract_text(text)
    assert len(result.report.expenditure.by_function) == 3
    assert _errors(result) == []


def test_a_partial_list_whose_share_is_wrong_is_still_an_error():
    """The same list with one amount off its share: SHR001, whatever the list's completeness."""
    text = (
        "某县教育体育局2023年度部门整体支出绩效自评报告\n（二）支出情况\n2023年度支出总计12,000.00万元。"
        "按功能分类，主要用于：教育支出10,900.00万元，占90.00%；社会保障和就业支出720.00万元，占6.00%；"
        "卫生健康支出240.00万元，占2.00%。\n"
    )
    assert "SHR001" in _errors(extractor.extract_text(text))


def test_budgets_of_two_funds_in_final_accounts_are_not_the_units():
    """A 决算's 一般公共预算 and 三公 sections each state their own 年初预算: neither is the unit's
    budget, and they are not one figure written twice."""
    text = (
        "某市卫生健康委员会2022年度部门决算说明\n五、一般公共预算财政拨款支出决算情况说明\n"
        "2022年度一般公共预算财政拨款支出年初预算为3,000.00万元，支出决算为3,150.00万元，完成年初预算的105.00%。\n"
        "六、“三公”经费财政拨款支出决算情况说明\n"
        "2022年度“三公”经费财政拨款支出年初预算为15.00万元，支出决算为12.30万元，完成年初预算的82.00%。\n"
    )
    result = extractor.extract_text(text)
    assert result.report.budget.total is None
    assert _errors(result) == []


def test_a_spending_kinds_budget_is_not_the_departments():
    """ "基本支出年初预算800万元，执行数800万元" after the department's own budget sentence."""
    text = (
        "某县市场监督管理局2023年度部门整体支出绩效自评报告\n二、预算执行情况\n"
        "2023年度年初预算1,200.00万元，全年预算数1,350.00万元，全年执行数1,320.00万元，预算执行率97.78%。\n"
        "基本支出年初预算800.00万元，执行数800.00万元；项目支出年初预算400.00万元，全年预算数550.00万元，"
        "执行数520.00万元。\n"
    )
    result = extractor.extract_text(text)
    budget = result.report.budget
    assert (budget.total.value, budget.spent.value) == (Decimal("12000000"), Decimal("13200000"))
    assert _errors(result) == []


def test_a_project_reports_one_fund_still_gives_its_budget():
    """In a project's own report, the fund its sentence names is the project's: still read."""
    text = (
        "某县2023年度农田水利专项资金项目支出绩效自评报告\n一、项目资金情况\n"
        "专项资金年初预算数200.00万元，全年执行数180.00万元，预算执行率90%。\n"
    )
    budget = extractor.extract_text(text).report.budget
    assert (budget.total.value, budget.spent.value) == (Decimal("2000000"), Decimal("1800000"))


def test_counts_side_by_side_with_more_categories_than_the_record_holds():
    """A form's row 编制人数 | 实有人数 | 在职人员 | 退休人员 | 离休人员 | 遗属: the actual count holds the
    离休 and 遗属 the record does not; its falling between nothing summed is not an error."""
    text = (
        "某县文化馆2023年度部门整体支出绩效自评报告\n基本情况表\n"
        "编制人数 | 实有人数 | 在职人员 | 退休人员 | 离休人员 | 遗属\n40 | 55 | 38 | 14 | 1 | 2\n"
    )
    result = extractor.extract_text(text)
    hc = result.report.headcount
    assert (hc.actual.value, hc.in_service.value, hc.retired.value) == (55, 38, 14)
    assert _errors(result) == []
    assert any(f.rule == "HC001" and f.severity == "info" for f in result.findings)


def test_a_listed_actual_count_that_its_parts_miss_is_still_an_error():
    """ "实有人数19人，其中在职人员13人，退休人员5人": listed as its parts, 18 is not 19."""
    text = "某县文化馆2023年度部门整体支出绩效自评报告\n（二）人员情况\n年末实有人数19人，其中在职人员13人，退休人员5人。\n"
    assert "HC001" in _errors(extractor.extract_text(text))


def test_a_funds_functional_list_is_not_the_units():
    """A 决算's 一般公共预算 section lists its spending 按功能分类 with shares of that fund's total:
    neither its sum nor its shares are the unit's."""
    text = (
        "某县统计局2023年度部门决算说明\n三、支出决算情况说明\n"
        "本年支出合计470.00万元，其中：基本支出380.00万元，占80.85%；项目支出90.00万元，占19.15%。\n"
        "五、一般公共预算财政拨款支出决算情况说明\n"
        "2023年度一般公共预算财政拨款支出450.00万元，占本年支出合计的95.74%。按功能分类：一般公共服务支出(类)"
        "380.00万元，占84.44%；社会保障和就业支出(类)40.00万元，占8.89%；卫生健康支出(类)15.00万元，占3.33%；"
        "住房保障支出(类)15.00万元，占3.33%。\n"
    )
    result = extractor.extract_text(text)
    assert result.report.expenditure.by_function == []
    assert _errors(result) == []


def test_a_funds_carry_overs_are_not_the_units():
    """ "财政拨款年初结转和结余10万元，年末结转和结余12万元" after the unit's own balances: a part, not a
    restatement; "其中：财政拨款年初结转结余…；非财政拨款…" the same."""
    text = (
        "某县司法局2023年度部门整体支出绩效自评报告\n（二）收支情况\n"
        "2023年度本年收入合计680.00万元，本年支出合计675.00万元。年初结转和结余30.00万元，年末结转和结余35.00万元。\n"
        "财政拨款年初结转和结余10.00万元，年末结转和结余12.00万元。其中：非财政拨款年初结转结余20.00万元，"
        "年末结转结余23.00万元。\n"
    )
    result = extractor.extract_text(text)
    carry = result.report.carryover
    assert (carry.start.value, carry.end.value) == (Decimal("300000"), Decimal("350000"))
    assert _errors(result) == []


def test_by_type_listed_beside_other_parts_of_spending_is_not_the_whole():
    """ "支出总计…，其中：基本支出…，项目支出…，经营支出40万元，结余分配10万元，年末结转和结余…": a
    school's list holds parts besides 基本支出 and 项目支出; their sum falling short is no error."""
    text = (
        "某县第一中学2023年度部门整体支出绩效自评报告\n（二）支出情况\n"
        "2023年度支出总计3,260.00万元，其中：基本支出2,500.00万元，项目支出650.00万元，经营支出40.00万元，"
        "结余分配10.00万元，年末结转和结余60.00万元。\n"
    )
    result = extractor.extract_text(text)
    assert _by_type(result) == {"基本支出": Decimal("25000000"), "项目支出": Decimal("6500000")}
    assert _errors(result) == []


def test_by_type_with_its_own_parts_is_still_checked():
    """ "基本支出…，其中人员经费…、公用经费…；项目支出…": the parts of 基本支出 are no other spending, so a
    sum that misses the total is still an error."""
    text = (
        "某县第一中学2023年度部门整体支出绩效自评报告\n（二）支出情况\n"
        "2023年度本年支出合计3,190.00万元，其中：基本支出2,500.00万元，其中人员经费2,200.00万元、公用经费"
        "300.00万元；项目支出650.00万元。\n"
    )
    assert "SUM002" in _errors(extractor.extract_text(text))


def test_level1_indicators_listed_after_qizhong_may_be_some_of_them():
    """ "…包括决策、过程、产出、效益四个一级指标。其中产出指标50分，得分47分；效益指标30分…": two of
    four named with their points; that they fall short of the full mark is no error."""
    text = (
        "某县民政局2023年度部门整体支出绩效自评报告\n四、自评结论\n本次评价满分100分，指标体系包括决策、过程、产出、"
        "效益四个一级指标。其中产出指标50分，得分47分；效益指标30分，得分27分。经自评，我局2023年度部门整体支出"
        "绩效自评得分92分，评价等级为优。\n"
    )
    result = extractor.extract_text(text)
    assert [i.name for i in result.report.indicators] == ["产出指标", "效益指标"]
    assert _errors(result) == []
    assert {"IND003", "IND004"} <= {f.rule for f in result.findings if f.severity == "info"}


def test_level1_indicators_after_qizhong_that_exceed_the_total_are_an_error():
    """The same list worth more than the full mark: an error whatever the list's completeness."""
    text = (
        "某县民政局2023年度部门整体支出绩效自评报告\n四、自评结论\n本次评价满分100分。其中产出指标60分，得分57分；"
        "效益指标50分，得分47分。经自评，我局2023年度部门整体支出绩效自评得分92分，评价等级为优。\n"
    )
    assert "IND003" in _errors(extractor.extract_text(text))


def test_a_funds_table_under_its_title_is_not_the_units():
    """A 决算's 一般公共预算财政拨款支出决算表 beside its 支出决算表: the first table's 合计 row is the
    fund's, by the table's title, not a second statement of the unit's spending."""
    text = (
        "某县人大常委会办公室2023年度部门决算\n一般公共预算财政拨款支出决算表\n单位：万元\n"
        "科目名称 | 本年支出合计 | 基本支出 | 项目支出\n合计 | 655.00 | 455.00 | 200.00\n"
        "一般公共服务支出 | 520.00 | 340.00 | 180.00\n社会保障和就业支出 | 135.00 | 115.00 | 20.00\n\n"
        "支出决算表\n单位：万元\n科目名称 | 本年支出合计 | 基本支出 | 项目支出\n合计 | 680.00 | 470.00 | 210.00\n"
        "一般公共服务支出 | 540.00 | 350.00 | 190.00\n社会保障和就业支出 | 140.00 | 120.00 | 20.00\n"
    )
    result = extractor.extract_text(text)
    assert result.report.expenditure.total.value == Decimal("6800000")
    assert _by_type(result) == {"基本支出": Decimal("4700000"), "项目支出": Decimal("2100000")}
    assert _errors(result) == []


SCHOOL = (
    "某县第一中学2023年度部门决算说明\n一、收入支出决算总体情况说明\n2023年度收入总计3,260.00万元，支出总计3,260.00万元。\n"
    "二、收入决算情况说明\n本年收入合计3,210.00万元，其中：财政拨款收入2,800.00万元，事业收入300.00万元，经营收入50.00万元，"
    "其他收入60.00万元。另有用事业基金弥补收支差额20.00万元，年初结转和结余30.00万元。\n"
    "三、支出决算情况说明\n本年支出合计3,190.00万元，其中：基本支出2,500.00万元，项目支出650.00万元，经营支出40.00万元。"
    "另有结余分配10.00万元，年末结转和结余{end}万元。\n"
)


def test_a_grand_total_holding_other_items_than_the_carry_overs():
    """A school's 决算: 收入总计 = 本年收入合计 + 用事业基金弥补收支差额 + 年初结转; 支出总计 = 本年支出合计 +
    结余分配 + 年末结转. The year's totals alone do not balance the carry-overs, and need not."""
    result = extractor.extract_text(SCHOOL.format(end="60.00"))
    assert result.report.carryover.end.value == Decimal("600000")
    assert _errors(result) == []
    assert any(f.rule == "SUM004" and f.severity == "info" for f in result.findings)


def test_grand_totals_that_do_not_balance_are_still_an_error():
    """The same report whose 支出总计 no longer equals its 收入总计: SUM004 on the grand totals."""
    text = SCHOOL.format(end="60.00").replace("支出总计3,260.00万元", "支出总计3,250.00万元")
    assert "SUM004" in _errors(extractor.extract_text(text))


def test_another_bodys_evaluation_of_the_unit_is_not_its_self_evaluation():
    """ "市财政局…对我局开展重点绩效评价，评价得分88分，评价等级为良" beside the self-evaluation's 93.5."""
    text = (
        "某县商务局2023年度部门整体支出绩效自评报告\n五、评价结论\n综合评价得分93.5分，评价结果为“优秀”。\n"
        "市财政局2023年对我局开展重点绩效评价，评价得分88分，评价等级为良。\n"
    )
    result = extractor.extract_text(text)
    assert (result.report.total_score.value, result.report.grade.value) == (Decimal("93.5"), "优")
    assert _errors(result) == []


def test_each_sources_execution_in_a_list_is_not_the_projects():
    """ "全年预算数318.40万元，其中：中央资金200万元，执行数200万元，执行率100%；省级资金…": each 执行数
    is one source's, and no source is named 执行数."""
    text = (
        "某县2023年度农村饮水安全巩固提升项目支出绩效自评报告\n一、项目概况\n"
        "2023年度该项目年初预算数为300.00万元，全年预算数为318.40万元，其中：中央资金200.00万元，执行数200.00万元，"
        "执行率100%；省级资金80.00万元，执行数75.00万元，执行率93.75%；县级资金38.40万元，执行数25.00万元，执行率65.10%。"
        "全年执行数为300.00万元，预算执行率为94.22%。\n"
    )
    result = extractor.extract_text(text)
    assert [s.name for s in result.report.budget.sources] == ["中央资金", "省级资金", "县级资金"]
    assert _errors(result) == []


def test_a_headcount_parts_bracket_and_what_is_besides_are_not_parts():
    """ "事业编制5名（含工勤编制1名）" notes a part's own part; "另有公益性岗位人员2人" and "另有编外聘用人员6人"
    are besides the count: none of them is another part."""
    text = (
        "某县档案馆2023年度部门整体支出绩效自评报告\n（二）人员情况\n"
        "核定编制15名，其中行政编制10名，事业编制5名（含工勤编制1名）。在职人员16人，其中在编14人，借调2人（含外单位借调1人）。\n"
        "实有人员58人，其中在职16人，退休42人，另有编外聘用人员6人。\n"
    )
    result = extractor.extract_text(text)
    hc = result.report.headcount
    assert [p.name for p in hc.authorized_breakdown] == ["行政编制", "事业编制"]
    assert [p.name for p in hc.in_service_breakdown] == ["在编", "借调"]
    assert [p.name for p in hc.actual_breakdown] == ["在职", "退休"]
    assert _errors(result) == []


def test_a_part_besides_the_in_service_list():
    text = (
        "某县档案馆2023年度部门整体支出绩效自评报告\n（二）人员情况\n"
        "核定编制15名，其中行政编制10名，事业编制5名。实有在职人员14人，其中行政人员10人，事业人员4人，另有公益性岗位人员2人。\n"
    )
    result = extractor.extract_text(text)
    assert [p.name for p in result.report.headcount.in_service_breakdown] == ["行政人员", "事业人员"]
    assert _errors(result) == []


def test_a_share_of_the_budget_is_not_a_share_of_the_total():
    """ "基本支出150.20万元，占年初预算的98.50%": a rate of the budget, not the part's share of spending."""
    text = (
        "某县妇女联合会2023年度部门整体支出绩效自评报告\n二、支出情况\n2023年度支出总计186.50万元，其中：基本支出150.20万元，"
        "占年初预算的98.50%；项目支出36.30万元，占上年同期的110.00%。\n"
    )
    result = extractor.extract_text(text)
    assert [i.share for i in result.report.expenditure.by_type] == [None, None]
    assert _errors(result) == []
