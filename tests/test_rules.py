"""Every rule fires on a case built to break it and stays quiet on one that holds (ruff-style).

Cases change one figure of the clean invented report in ``fixtures/rules/build.py``; the
document rules read the small texts ``fixtures/rules/DOC00N-{fires,ok}.txt``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.document import Document, Ocr, OcrLine
from extractor.model import Band, Count, Finding, GradeBands, Number, Part, Report
from extractor.rules import catalogue, get_rule, run_rules

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
_spec = importlib.util.spec_from_file_location("rules_fixture_build", FIXTURES / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)
Snippet, BASE, base_report, with_value, record = (
    build.Snippet,
    build.BASE,
    build.base_report,
    build.with_value,
    build.record,
)
D = Decimal


@dataclass
class Case:
    code: str
    expect: str  # "fires" (a finding at the rule's severity), "info" (could not check) or "ok"
    name: str
    make: Callable[[], tuple[Report, Document | None]]

    @property
    def id(self) -> str:
        return f"{self.code}-{self.expect}-{self.name}"


CASES: list[Case] = []


def case(code: str, expect: str):
    def register(fn):
        CASES.append(Case(code, expect, fn.__name__, fn))
        return fn

    return register


def base(**changes) -> tuple[Report, Document]:
    """The clean report with ``path=value`` changes (``revenue__items__0__amount=...``)."""
    g = Snippet(BASE)
    report = base_report(g)
    for path, make in changes.items():
        dotted = ".".join(f"[{p}]" if p.isdigit() else p for p in path.split("__")).replace(".[", "[")
        report = with_value(report, dotted, make(g) if callable(make) else make)
    return report, g.document()


def moved(ground: Callable, value) -> Callable:
    """A grounded value as the report wrote it, with its value changed (the span stays)."""
    return lambda g: replace(ground(g), value=value)


def doc_case(name: str, year: int = 2023) -> tuple[Report, Document]:
    """A fixture text as a self-evaluation of ``year`` (the year as its title writes it)."""
    g = Snippet((FIXTURES / name).read_text(encoding="utf-8"))
    return record(
        fiscal_year=Count(value=year, raw=str(year), span=g.span(str(year))),
        kind=replace(g.word("部门整体支出"), value="department_overall"),
    ), g.document()


# ---- sums --------------------------------------------------------------------------------


@case("SUM001", "ok")
def clean_report():
    return base()


@case("SUM001", "fires")
def revenue_item_one_wan_too_many():
    return base(revenue__items__0__amount=moved(lambda g: g.money("300.25万元"), D(3102500)))


@case("SUM001", "fires")
def two_items_fall_short():
    return base(revenue__items__1__amount=moved(lambda g: g.money("20.25万元"), D(102500)))


@case("SUM001", "ok")
def total_includes_opening_carryover():
    g = Snippet("收入总计330.50万元，其中财政拨款收入300.25万元、其他收入20.25万元，年初结转和结余10.00万元。")
    r = record(
        revenue={
            "total": g.money("330.50万元"),
            "items": [g.item("财政拨款收入", "300.25万元"), g.item("其他收入", "20.25万元")],
        },
        carryover={"start": g.money("10.00万元")},
    )
    return r, g.document()


@case("SUM001", "info")
def lone_item_is_part_of_total():
    g = Snippet("收入总计320.50万元，其中财政拨款收入300.25万元。")
    return record(revenue={"total": g.money("320.50万元"), "items": [g.item("财政拨款收入", "300.25万元")]}), None


@case("SUM002", "fires")
def project_spending_changed():
    return base(expenditure__by_type__1__amount=moved(lambda g: g.money("68.20万元"), D(692000)))


@case("SUM002", "ok")
def only_basic_spending_stated():
    g = Snippet("支出决算总额为145.16万元。其中基本支出132.4万元，占支出决算总额的91.21%。")
    return record(
        expenditure={"total": g.money("145.16万元"), "by_type": [g.item("基本支出", "132.4万元", "91.21%")]}
    ), g.document()


@case("SUM003", "fires")
def function_class_changed():
    return base(expenditure__by_function__0__amount=moved(lambda g: g.money("280.30万元"), D(2903000)))


@case("SUM003", "ok")
def function_parts_within_rounding():
    g = Snippet("支出总额145.16万元：一般公共服务106.45万元，社会保障和就业33.54万元，住房保障5.17万元。")
    return record(
        expenditure={
            "total": g.money("145.16万元"),
            "by_function": [
                g.item("一般公共服务", "106.45万元"),
                g.item("社会保障和就业", "33.54万元"),
                g.item("住房保障", "5.17万元"),
            ],
        }
    ), None


@case("SUM004", "fires")
def closing_carryover_changed():
    return base(carryover__end=moved(lambda g: g.money("12.20万元"), D(132000)))


@case("SUM004", "ok")
def totals_labelled_zongji_hold_the_carryovers():
    g = Snippet("收入总计330.50万元，年初结转和结余10.00万元；支出总计330.50万元，其中年末结转和结余12.20万元。")
    r = record(
        revenue={"total": g.money("330.50万元")},
        expenditure={"total": g.money("330.50万元", after="支出总计")},
        carryover={"start": g.money("10.00万元"), "end": g.money("12.20万元")},
    )
    return r, g.document()


@case("SUM001", "ok")
def items_make_a_total_written_zongji_beside_a_carryover():
    # a report that writes 收入总计 for the year's revenue: its items make it without the carry-over
    g = Snippet(
        "2023年度收入总计1,856.42万元，其中：财政拨款收入1,702.30万元；其他收入154.12万元。年初结转和结余45.60万元。"
    )
    r = record(
        revenue={
            "total": g.money("1,856.42万元"),
            "items": [g.item("财政拨款收入", "1,702.30万元"), g.item("其他收入", "154.12万元")],
        },
        carryover={"start": g.money("45.60万元")},
    )
    return r, g.document()


@case("SUM004", "ok")
def plain_balance_under_zongji_labels():
    g = Snippet("收入总计1,856.42万元，支出总计1,820.15万元。年初结转和结余45.60万元，年末结转和结余81.87万元。")
    r = record(
        revenue={"total": g.money("1,856.42万元")},
        expenditure={"total": g.money("1,820.15万元")},
        carryover={"start": g.money("45.60万元"), "end": g.money("81.87万元")},
    )
    return r, g.document()


@case("SUM004", "ok")
def a_total_whose_label_does_not_say_holds_the_carryover():
    g = Snippet(
        "部门收入共计458.20万元（上年结转12.30万元，本年收入445.90万元）。部门支出共计440.15万元，年末结余18.05万元。"
    )
    r = record(
        revenue={"total": g.money("458.20万元")},
        expenditure={"total": g.money("440.15万元")},
        carryover={"start": g.money("12.30万元"), "end": g.money("18.05万元")},
    )
    return r, g.document()


def _grand_totals_with_year_totals(opening: str) -> tuple:
    # a 决算总表: grand totals that hold the carry-overs stay equal whatever the carry-overs are;
    # the year's own totals beside them tie the carry-overs down
    g = Snippet(
        f"本年收入合计806.40万元，年初结转和结余{opening}万元，收入总计818.70万元；"
        "本年支出合计803.10万元，年末结转和结余15.60万元，支出总计818.70万元。"
    )
    r = record(
        revenue={"total": g.money("818.70万元")},
        expenditure={"total": g.money("818.70万元", after="支出总计")},
        carryover={"start": g.money(f"{opening}万元"), "end": g.money("15.60万元")},
        candidates={
            "revenue.total.of_year": [g.money("806.40万元")],
            "expenditure.total.of_year": [g.money("803.10万元")],
        },
    )
    return r, g.document()


@case("SUM004", "ok")
def grand_totals_and_year_totals_balance():
    return _grand_totals_with_year_totals("12.30")


@case("SUM004", "fires")
def opening_carryover_off_by_the_year_totals():
    # 13.30 + 806.40 − 803.10 = 16.60, not 15.60; the grand totals alone still agree
    return _grand_totals_with_year_totals("13.30")


@case("SUM002", "ok")
def parts_of_the_years_total_beside_the_grand_total():
    g = Snippet(
        "收入总计12,356.20万元、支出总计12,356.20万元。本年支出合计11,870.44万元，其中：基本支出3,260.11万元，"
        "占27.46%；项目支出8,610.33万元，占72.54%。"
    )
    r = record(
        expenditure={
            "total": g.money("12,356.20万元", after="支出总计"),
            "by_type": [g.item("基本支出", "3,260.11万元", "27.46%"), g.item("项目支出", "8,610.33万元", "72.54%")],
        },
        candidates={"expenditure.total.of_year": [g.money("11,870.44万元")]},
    )
    return r, g.document()


@case("SHR001", "ok")
def shares_of_the_years_total_beside_the_grand_total():
    return parts_of_the_years_total_beside_the_grand_total()


@case("DOC001", "ok")
def an_earlier_years_result_under_a_heading_about_it():
    g = Snippet(
        "某县残联2023年度部门整体支出绩效自评报告\n四、上年度绩效评价结果应用\n"
        "2022年度部门整体支出绩效评价得分为93.2分，评价等级为优秀。\n"
    )
    return record(
        fiscal_year=Count(value=2023, raw="2023", span=g.span("2023")),
        kind=replace(g.word("部门整体支出"), value="department_overall"),
    ), g.document()


@case("DOC001", "fires")
def a_template_year_in_chinese_numerals():
    # 二〇二一 left from an older report in a report on 二〇二三 (formal titles write years so)
    g = Snippet(
        "某县文化馆二〇二三年度部门整体支出绩效自评报告\n"
        "根据《某县文化馆二〇二一年度部门整体支出绩效评价指标体系》开展自评。本馆二〇二四年三月完成自评。\n"
    )
    return record(
        fiscal_year=Count(value=2023, raw="二〇二三", span=g.span("二〇二三")),
        kind=replace(g.word("部门整体支出"), value="department_overall"),
    ), g.document()


@case("SUM004", "info")
def closing_carryover_missing():
    return base(carryover__end=None)


# ---- shares ------------------------------------------------------------------------------


@case("SHR001", "fires")
def basic_share_one_point_off():
    return base(expenditure__by_type__0__share=moved(lambda g: g.number("78.57%"), D("79.57")))


@case("SHR001", "ok")
def seed_share_at_two_decimals():
    g = Snippet("支出决算总额为145.16万元。基本支出132.4万元，占91.21%。")
    return record(
        expenditure={"total": g.money("145.16万元"), "by_type": [g.item("基本支出", "132.4万元", "91.21%")]}
    ), None


@case("SHR001", "ok")
def seed_share_at_one_decimal():
    g = Snippet("支出决算总额为145.16万元。基本支出132.4万元，占91.2%。")
    return record(
        expenditure={"total": g.money("145.16万元"), "by_type": [g.item("基本支出", "132.4万元", "91.2%")]}
    ), None


@case("SHR001", "info")
def share_without_total():
    g = Snippet("基本支出132.4万元，占91.21%。")
    return record(expenditure={"by_type": [g.item("基本支出", "132.4万元", "91.21%")]}), None


@case("SHR002", "fires")
def function_shares_make_101():
    return base(expenditure__by_function__0__share=moved(lambda g: g.number("88.06%"), D("89.06")))


@case("SHR002", "ok")
def shares_of_a_partial_list():
    g = Snippet("支出总额318.30万元，其中基本支出250.10万元，占78.57%。")
    return record(
        expenditure={"total": g.money("318.30万元"), "by_type": [g.item("基本支出", "250.10万元", "78.57%")]}
    ), None


# ---- headcount ---------------------------------------------------------------------------


@case("HC001", "fires")
def actual_one_too_many():
    return base(headcount__actual=moved(lambda g: g.count("18人"), 19))


@case("HC001", "ok")
def actual_means_in_service():
    return base(headcount__actual=moved(lambda g: g.count("18人"), 13))


@case("HC001", "info")
def counts_side_by_side_may_include_staff_off_the_establishment():
    g = Snippet("基本信息 | 编制数 | 实有人数 | 在职人员 | 退休人员\n人员情况 | 12 | 11 | 10 | 3\n")
    r = record(
        headcount={
            "authorized": g.count("12", after="人员情况"),
            "actual": g.count("11"),
            "in_service": g.count("10"),
            "retired": g.count("3", after="10"),
        }
    )
    return r, g.document()


@case("HC001", "info")
def in_service_counts_only_staff_on_the_establishment():
    # 在编人员 leaves out the 编外 and 聘用 staff that 实有人数 counts: the parts may not be every category
    g = Snippet("年末实有人数20人，其中在编人员13人，退休人员5人。")
    r = record(
        headcount={
            "actual": g.count("20人"),
            "in_service": g.count("13人", after="在编人员"),
            "retired": g.count("5人", after="退休人员"),
        }
    )
    return r, g.document()


@case("HC001", "fires")
def staff_on_the_establishment_and_retired_exceed_the_actual():
    g = Snippet("年末实有人数17人，其中在编人员13人，退休人员5人。")
    listed = ("part", "in_list")  # as the extractor qualifies counts listed after 其中
    r = record(
        headcount={
            "actual": g.count("17人"),
            "in_service": replace(g.count("13人", after="在编人员"), qualifiers=listed),
            "retired": replace(g.count("5人", after="退休人员"), qualifiers=listed[1:]),
        }
    )
    return r, g.document()


@case("HC001", "info")
def in_service_missing():
    return base(headcount__in_service=None)


def _listed_with_actual(text: str, actual: str, parts: list[tuple[str, str]], counted: dict[str, str]):
    """A record whose actual count lists ``parts`` (name, figure) right after it, with ``counted``
    (in_service / retired → the figure) the counts the extractor reads in that list."""
    g = Snippet(text)
    after = text.index(actual) + len(actual)
    listed = [Part(name=n, count=g.count(f, after=n)) for n, f in parts]
    by_name = {n: p.count for (n, _), p in zip(parts, listed, strict=True)}
    hc = {
        "actual": g.count(actual, after="实有"),
        "actual_breakdown": listed,
        **{k: replace(by_name[n], qualifiers=("in_list", "part")) for k, n in counted.items()},
    }
    assert all(p.count.span[0] >= after for p in listed)
    return record(headcount=hc), g.document()


@case("HC001", "ok")
def other_categories_make_the_actual_count():
    return _listed_with_actual(
        "年末实有人数30人，其中在职人员21人，离休人员1人，退休人员6人，遗属人员2人。",
        "30人",
        [("在职人员", "21人"), ("离休人员", "1人"), ("退休人员", "6人"), ("遗属人员", "2人")],
        {"in_service": "在职人员", "retired": "退休人员"},
    )


@case("HC001", "fires")
def listed_categories_exceed_the_actual_count():
    return _listed_with_actual(
        "年末实有人数29人，其中在职人员21人，离休人员1人，退休人员6人，遗属人员2人。",
        "29人",
        [("在职人员", "21人"), ("离休人员", "1人"), ("退休人员", "6人"), ("遗属人员", "2人")],
        {"in_service": "在职人员", "retired": "退休人员"},
    )


@case("HC001", "fires")
def listed_categories_fall_short_of_the_actual_count():
    return _listed_with_actual(
        "实有人数31人，其中在职21人、退休6人、离休1人。",
        "31人",
        [("在职", "21人"), ("退休", "6人"), ("离休", "1人")],
        {"in_service": "在职", "retired": "退休"},
    )


@case("HC001", "info")
def listed_categories_of_staff_on_the_establishment_fall_short():
    # 在编人员 leaves out the 编外 and 聘用 staff the actual count may hold
    return _listed_with_actual(
        "实有人数31人，其中在编人员21人、退休6人、离休1人。",
        "31人",
        [("在编人员", "21人"), ("退休", "6人"), ("离休", "1人")],
        {"in_service": "在编人员", "retired": "退休"},
    )


@case("HC001", "info")
def bracketed_categories_fall_short_without_an_in_service_count():
    return _listed_with_actual(
        "实有人员31人（在职21人、退休6人、离休1人）。", "31人", [("在职", "21人"), ("退休", "6人"), ("离休", "1人")], {}
    )


@case("HC002", "fires")
def in_service_categories_exceed():
    return base(headcount__in_service_breakdown__0__count=moved(lambda g: g.count("11人"), 12))


@case("HC002", "info")
def lone_establishment_category():
    g = Snippet("编制人数5人，其中行政编制3人。")
    return record(headcount={"authorized": g.count("5人"), "authorized_breakdown": [g.part("行政编制", "3人")]}), None


@case("HC002", "ok")
def breakdowns_add_up():
    return base()


@case("HC003", "fires")
def more_on_establishment_than_posts():
    return base(headcount__authorized=moved(lambda g: g.count("12人"), 10))


@case("HC003", "ok")
def seconded_staff_are_not_on_the_establishment():
    g = Snippet(
        "编制人数3人，其中行政编制3人；年末实有人数7人，其中在职人员4人（3个行政编、1个挂职人员），退休人员3人。"
    )
    return record(
        headcount={
            "authorized": g.count("3人"),
            "authorized_breakdown": [g.part("行政编制", "3人")],
            "actual": g.count("7人"),
            "in_service": g.count("4人"),
            "retired": g.count("3人", after="退休人员"),
            # the seed writes the count before the category: 3个行政编、1个挂职人员
            "in_service_breakdown": [
                Part(name="行政编", count=g.count("3个")),
                Part(name="挂职", count=g.count("1个")),
            ],
        }
    ), None


# ---- indicators --------------------------------------------------------------------------


def _score(value: str):
    return moved(lambda g: g.number("28分", after="产出（30分）"), D(value))


@case("IND001", "fires")
def score_above_max():
    return base(indicators__2__score=_score("31"))


@case("IND001", "ok")
def full_marks():
    return base(indicators__2__score=_score("30"))


@case("IND002", "fires")
def child_score_changed():
    return base(indicators__0__children__0__score=moved(lambda g: g.number("9分", after="目标设定"), D(10)))


@case("IND002", "ok")
def rounded_parent_over_finer_children():
    g = Snippet("产出（25分）：数量（8.33分）质量（8.33分）时效（8.33分）")
    kids = [g.indicator(n, "8.33分", None, level=2) for n in ("数量", "质量", "时效")]
    return record(indicators=[g.indicator("产出", "25分", None, children=kids)]), None


@case("IND002", "info")
def child_score_missing():
    return base(indicators__0__children__1__score=None)


@case("IND003", "fires")
def maxima_make_110():
    return base(indicators__3__max=moved(lambda g: g.number("20分", after="效益"), D(30)))


@case("IND003", "info")
def full_mark_only_in_the_text_not_in_the_record():
    # the rule reads the record: 百分制 in the text is the extractor's to record as max_score
    r, doc = base(indicators__3__max=moved(lambda g: g.number("20分", after="效益"), D(30)))
    return replace(r, max_score=None), doc


def _with_total_row(kind: str) -> tuple[Report, Document]:
    """The clean report whose score sheet's 合计 row was read as a fifth level-1 indicator."""
    g = Snippet(BASE + "合计 | 100 | 91.5\n")
    r = base_report(g)
    row = g.indicator("合计", None, None)
    row.max = g.number("100", after="合计 | ") if kind == "max" else None
    row.score = g.number("91.5", after="合计 | 100 | ")
    if kind == "score":
        row.max = None
    return replace(r, indicators=[*r.indicators, row]), g.document()


@case("IND003", "info")
def a_total_row_read_as_an_indicator_is_not_worth_the_full_mark_twice():
    return _with_total_row("max")


@case("IND004", "info")
def a_total_row_read_as_an_indicator_is_not_scored_twice():
    return _with_total_row("score")


@case("IND003", "ok")
def an_indicator_worth_all_the_others_is_not_a_total_row():
    # 决策 20 + 过程 20 + 产出 40 + 效益 20: 产出 is worth the others together, and is an indicator
    g = Snippet(
        "本次评价采用百分制。决策（20分）得分18分。过程（20分）得分18分。产出（40分）得分38分。效益（20分）得分18分。总分92分。"
    )
    r = record(
        indicators=[
            g.indicator(n, f"{m}分", f"{s}分")
            for n, m, s in (("决策", 20, 18), ("过程", 20, 18), ("产出", 40, 38), ("效益", 20, 18))
        ],
        total_score=g.number("92分", after="总分"),
        max_score=Number(value=D(100), raw="百分制", span=g.span("百分制")),
    )
    return r, g.document()


@case("IND003", "ok")
def maxima_make_100():
    return base()


@case("IND003", "info")
def full_mark_unknown():
    r, _ = base()
    return replace(r, max_score=None), None


@case("IND004", "fires")
def total_one_point_high():
    return base(total_score=moved(lambda g: g.number("91.5分"), D("92.5")))


@case("IND004", "ok")
def total_scores_add_up():
    return base()


@case("IND004", "info")
def total_missing():
    return base(total_score=None)


# ---- grade -------------------------------------------------------------------------------


@case("GRD001", "fires")
def grade_one_band_high():
    return base(grade=lambda g: g.word("良", after="80分（含）至90分为"))


@case("GRD001", "ok")
def grade_by_default_bands():
    r, doc = base()
    return replace(r, grade_bands=None), doc


@case("GRD001", "fires")
def score_in_a_gap_between_bands():
    r, doc = base(total_score=moved(lambda g: g.number("91.5分"), D("89.5")))
    bands = [Band(grade="优", min=D(90), max=None), Band(grade="良", min=D(80), max=D(89), max_inclusive=True)]
    return replace(r, grade_bands=GradeBands(source="report", bands=bands)), doc


def _shifted_bands(grade: str) -> tuple[Report, Document]:
    """Bands read one grade off (良 90 and above, 中 80 to 89) with a gap at 89-90, a score of 86.5."""
    r, doc = base(
        total_score=moved(lambda g: g.number("91.5分"), D("86.5")),
        grade=lambda g: g.word(grade, after="80分（含）至90分为" if grade == "良" else "60分以下为"),
    )
    bands = [
        Band(grade="良", min=D(90), max=None),
        Band(grade="中", min=D(80), max=D(89)),
        Band(grade="差", min=None, max=D(80)),
    ]
    return replace(r, grade_bands=GradeBands(source="report", bands=bands, span=r.grade_bands.span)), doc


@case("GRD001", "ok")
def unsound_bands_are_not_trusted_against_the_national_ones():
    return _shifted_bands("良")


@case("GRD001", "fires")
def unsound_bands_and_the_national_ones_disagree_with_the_grade():
    return _shifted_bands("差")


@case("GRD002", "fires")
def bands_overlap_at_90():
    r, doc = base()
    bands = [Band(grade="优", min=D(90), max=None), Band(grade="良", min=D(80), max=D(90), max_inclusive=True)]
    return replace(r, grade_bands=GradeBands(source="report", bands=bands, span=r.grade_bands.span)), doc


@case("GRD002", "ok")
def bands_meet_exactly():
    return base()


# ---- restated figures --------------------------------------------------------------------


def _restated(extra: str, key: str, make) -> tuple[Report, Document]:
    g = Snippet(BASE + extra)
    r = base_report(g)
    chosen = {"revenue.total": r.revenue.total, "total_score": r.total_score, "grade": r.grade}[key]
    return replace(r, candidates={key: [chosen, make(g)]}), g.document()


@case("RST001", "fires")
def table_total_differs_from_text():
    return _restated(
        "本年收入合计 | 321.50\n", "revenue.total", lambda g: g.money("321.50", after="本年收入合计 | ", unit="万元")
    )


@case("RST001", "ok")
def another_label_names_another_total():
    # 收入总计 (with the carry-over) and 本年收入合计 (the year's) are two quantities, not one restated
    return _restated(
        "收入总计 | 330.50\n", "revenue.total", lambda g: g.money("330.50", after="收入总计 | ", unit="万元")
    )


@case("RST001", "ok")
def two_grades_of_two_things():
    # "评为良" grades whatever comes before it (a project, the satisfaction survey), not the report
    return _restated("其中示范项目评为良好。\n", "grade", lambda g: g.word("良好", after="评为"))


@case("RST001", "ok")
def same_total_in_yuan():
    return _restated("收入总计3205000元\n", "revenue.total", lambda g: g.money("3205000元"))


@case("RST001", "ok")
def score_restated_rounded():
    return _restated("综合得分92分\n", "total_score", lambda g: g.number("92分", after="综合得分"))


@case("RST001", "fires")
def grade_restated_differently():
    return _restated("等级为：良好\n", "grade", lambda g: g.word("良好", after="等级为："))


@case("RST002", "info")
def total_stated_twice_differently_left_empty():
    report, doc = _restated(
        "本年收入合计 | 321.50\n", "revenue.total", lambda g: g.money("321.50", after="本年收入合计 | ", unit="万元")
    )
    return replace(report, revenue=replace(report.revenue, total=None)), doc


@case("RST002", "ok")
def field_kept_when_candidates_disagree():
    return table_total_differs_from_text()


# ---- OCR ---------------------------------------------------------------------------------


def _scanned(confidence: float) -> tuple[Report, Document]:
    """The clean report as if its revenue total's line had been read from page 1 of a scan."""
    report, doc = base()
    start, end = report.revenue.total.span
    line = OcrLine(1, start - 4, end + 2, (72.0, 300.0, 520.0, 312.0), confidence)
    return report, replace(doc, ocr=Ocr("test", [1], [line]))


@case("OCR001", "info")
def revenue_total_read_with_low_confidence():
    return _scanned(0.74)


@case("OCR001", "ok")
def revenue_total_read_with_high_confidence():
    return _scanned(0.99)


# ---- budget ------------------------------------------------------------------------------


@case("BUD001", "fires")
def execution_rate_one_point_off():
    return base(budget__execution_rate=moved(lambda g: g.number("96.45%"), D("97.45")))


@case("BUD001", "ok")
def execution_rate_holds():
    return base()


@case("BUD001", "info")
def execution_rate_without_spending():
    return base(budget__spent=None)


@case("BUD002", "fires")
def spending_beyond_the_adjusted_budget():
    return base(budget__spent=moved(lambda g: g.money("318.30万元", after="全年执行数"), D("3400000")))


@case("BUD002", "fires")
def a_rate_over_a_hundred_without_the_figures():
    return base(budget__spent=None, budget__execution_rate=moved(lambda g: g.number("96.45%"), D("101.20")))


@case("BUD002", "ok")
def spending_within_the_budget():
    return base()


def _sources(extra: str, rows) -> tuple[Report, Document]:
    """The clean report with the form's source rows written after it: (name, adjusted, spent, rate)."""
    from extractor.model import BudgetRow

    g = Snippet(BASE + extra)
    r = base_report(g)
    built = [
        BudgetRow(
            name=n,
            adjusted=g.money(a + "万元", after=n),
            spent=g.money(s + "万元", after=n + a),
            execution_rate=g.number(p, after=n),
        )
        for n, a, s, p in rows
    ]
    return replace(r, budget=replace(r.budget, sources=built)), g.document()


_ROWS = [("当年财政拨款", "300.00", "290.30", "96.77%"), ("其他资金", "30.00", "28.00", "93.33%")]


@case("BUD003", "fires")
def a_source_rate_that_its_figures_do_not_give():
    rows = [_ROWS[0], ("其他资金", "30.00", "28.00", "0%")]
    return _sources("".join(f"{n}{a}万元，{s}万元，{p}。" for n, a, s, p in rows), rows)


@case("BUD003", "ok")
def source_rates_that_hold():
    return _sources("".join(f"{n}{a}万元，{s}万元，{p}。" for n, a, s, p in _ROWS), _ROWS)


@case("SUM005", "fires")
def sources_that_exceed_the_budget():
    rows = [_ROWS[0], ("其他资金", "40.00", "28.00", "70.00%")]
    return _sources("".join(f"{n}{a}万元，{s}万元，{p}。" for n, a, s, p in rows), rows)


@case("SUM005", "fires")
def every_source_stated_and_short_of_the_budget():
    rows = [("当年财政拨款", "290.00", "290.30", "100.10%"), _ROWS[1]]
    return _sources("".join(f"{n}{a}万元，{s}万元，{p}。" for n, a, s, p in rows), rows)


@case("SUM005", "ok")
def sources_that_make_the_budget():
    return _sources("".join(f"{n}{a}万元，{s}万元，{p}。" for n, a, s, p in _ROWS), _ROWS)


# ---- document ----------------------------------------------------------------------------

for _code in ("DOC001", "DOC002", "DOC003", "DOC004"):
    for _expect in ("fires", "ok"):
        CASES.append(Case(_code, _expect, "fixture", lambda c=_code, e=_expect: doc_case(f"{c}-{e}.txt")))


@case("DOC001", "info")
def evaluative_year_without_fiscal_year():
    r, doc = doc_case("DOC001-fires.txt")
    return replace(r, fiscal_year=None), doc


def _own_unit(text: str) -> tuple[Report, Document]:
    g = Snippet(text)
    dept = replace(g.word("示例县东坪镇人民政府"), value="示例县东坪镇人民政府")
    return record(department=dept), g.document()


@case("DOC005", "fires")
def own_unit_of_another_township():
    return _own_unit(
        "示例县东坪镇人民政府2023年度部门决算\n单位构成：行政单位1个：西坪镇人民政府（本级）；事业单位2个。\n"
    )


@case("DOC005", "ok")
def own_unit_shortened():
    return _own_unit(
        "示例县东坪镇人民政府2023年度部门决算\n单位构成：行政单位1个：东坪镇人民政府（本级）；事业单位2个。\n"
    )


@case("DOC004", "fires")
def published_in_the_year_written_in_chinese_numerals():
    g = Snippet("示例县水利局2023年度部门整体支出绩效自评报告\n公开时间:二〇二三年9月19日\n一、基本情况\n")
    fy = Count(value=2023, raw="2023", span=g.span("2023"))
    return record(fiscal_year=fy, kind=replace(g.word("部门整体支出"), value="department_overall")), g.document()


@case("DOC004", "ok")
def budget_disclosure_published_in_advance():
    r, doc = doc_case("DOC004-fires.txt")
    return replace(r, kind=replace(r.kind, value="other")), doc


# ---- the tests ---------------------------------------------------------------------------


def _findings(c: Case) -> list[Finding]:
    report, document = c.make()
    return [f for f in run_rules(report, document, select=[c.code]) if f.rule == c.code]


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_case(c: Case):
    findings = _findings(c)
    severity = get_rule(c.code).severity
    if c.expect == "fires":
        assert any(f.severity in (severity, "error", "warning") and f.severity != "info" for f in findings), findings
        for f in findings:
            assert f.spans, f"{f.rule} finding without a span: {f.message}"
    elif c.expect == "info":
        assert findings and all(f.severity == "info" for f in findings), findings
    elif severity == "info":  # a rule that only informs is quiet when it has nothing to say
        assert findings == [], findings
    else:
        assert [f for f in findings if f.severity != "info"] == [], findings


def test_every_rule_has_a_firing_and_a_quiet_case():
    covered = {(c.code, c.expect) for c in CASES}
    for info in catalogue("report"):  # the cross-report checks: tests/test_rule_snapshots.py
        firing = "info" if info.severity == "info" else "fires"
        assert (info.code, firing) in covered, info.code
        assert (info.code, "ok") in covered, info.code


def test_clean_report_gives_no_findings():
    report, document = base()
    assert run_rules(report, document) == []


def test_clean_report_without_document_gives_no_findings():
    report, _ = base()
    assert run_rules(report) == []


def test_seed_like_over_establishment_message_has_the_ratio():
    report, document = more_on_establishment_than_posts()
    (f,) = run_rules(report, document, select=["HC003"])
    assert "110%" in f.message and f.found == "11" and f.expected == "<=10"


def test_number_fields_name_the_changed_field():
    (f,) = run_rules(*revenue_item_one_wan_too_many(), select=["SUM001"])
    assert "report.revenue.items" in f.fields and "report.revenue.total" in f.fields
    assert (f.expected, f.found) == ("320.50万元", "330.50万元")


def test_document_rules_point_at_the_text():
    report, document = doc_case("DOC003-fires.txt")
    findings = run_rules(report, document, select=["DOC003"])
    quoted = [[document.text[s:e] for s, e in f.spans] for f in findings]
    assert quoted == [["2.", "4."], ["二、", "四、"]]
    assert "缺少“3.”" in findings[0].message and "缺少“三、”" in findings[1].message


def test_placeholders_found_in_full_width_and_brackets():
    report, document = doc_case("DOC002-fires.txt")
    raws = [f.found for f in run_rules(report, document, select=["DOC002"])]
    assert raws == ["xx", "20XX", "【单位名称】", "××"]


def test_year_rule_quotes_the_phrase():
    report, document = doc_case("DOC001-fires.txt")
    (f,) = run_rules(report, document, select=["DOC001"])
    assert "2022年度部门整体支出" in f.message and (f.expected, f.found) == ("2023", "2022")


def test_restated_figure_names_both_places():
    report, document = table_total_differs_from_text()
    (f,) = run_rules(report, document, select=["RST001"])
    assert [document.text[s:e] for s, e in f.spans] == ["320.50万元", "321.50"]
    assert f.message == "收入总计在两处写法不一致：一处为320.50万元，另一处为321.50万元。"
    assert f.fields == ["report.revenue.total"]


def test_max_score_as_number_model():
    # the full mark may come as a plain Number (百分制) with no decimals
    assert isinstance(base()[0].max_score, Number)


def test_points_written_only_on_leaves_are_checked_against_stated_subtotals():
    from extractor import extract_text

    table = (
        "本次评价实行百分制。\n一级指标 | 二级指标 | 三级指标 | 分值 | 得分\n"
        "产出指标(60分) | 数量指标 | 完成数量 | 30 | 30\n | 质量指标 | 合格率 | {q} | 25\n"
        "效益指标(40分) | 社会效益 | 受益面 | 40 | 35\n自评得分{t}分。\n"
    )
    clean = extract_text(table.format(q=30, t=90))
    assert [f.rule for f in clean.findings if f.severity == "error"] == []
    # a leaf's maximum against its level-1 subtotal; the total against the leaves' scores
    assert {f.rule for f in extract_text(table.format(q=31, t=90)).findings if f.severity == "error"} == {"IND002"}
    assert {f.rule for f in extract_text(table.format(q=30, t=91)).findings if f.severity == "error"} == {"IND004"}


def _error_rules(text: str) -> list[str]:
    from extractor import extract_text

    return [f.rule for f in extract_text(text).findings if f.severity == "error"]


@pytest.mark.parametrize(
    "text",
    [
        # 收入总计 for the year's revenue, both carry-overs stated, every figure consistent
        "青川县林业局2023年度部门整体支出绩效自评报告\n2023年度收入总计1,856.42万元，其中：一般公共预算财政拨款收入1,702.30万元，"
        "占91.70%；其他收入154.12万元，占8.30%。\n2023年度支出总计1,820.15万元，其中：基本支出612.08万元，占33.63%；"
        "项目支出1,208.07万元，占66.37%。\n年初结转和结余45.60万元，年末结转和结余81.87万元。\n",
        # a 决算: the grand totals, and the year's own totals that the breakdown and its shares are of
        "云溪市交通局2023年度部门决算\n2023年度收入总计12,356.20万元、支出总计12,356.20万元。\n"
        "2023年本年收入合计11,980.05万元，其中：财政拨款收入11,200.00万元，占93.49%；事业收入680.05万元，占5.68%；"
        "其他收入100.00万元，占0.83%。\n2023年本年支出合计11,870.44万元，其中：基本支出3,260.11万元，占27.46%；"
        "项目支出8,610.33万元，占72.54%。\n2023年财政拨款收入总计11,500.00万元，支出总计11,400.00万元。\n",
        # the national form: the execution rate's 10 points and the indicators' 90 make the total
        "2023年度部门整体支出绩效自评表\n年度预算执行情况（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分\n"
        "年度资金总额 | 412.00 | 456.80 | 450.12 | 10 | 98.54% | 9.85\n"
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分\n"
        "产出指标 | 数量指标 | 检查次数 | ≥200次 | 236次 | 50 | 50\n效益指标 | 社会效益指标 | 事故起数 | 下降 | 下降12% | 30 | 28\n"
        "满意度指标 | 满意度指标 | 企业满意度 | ≥90% | 92% | 10 | 10\n总分 |  |  |  |  | 100 | 97.85\n",
        # 本年度收入总计 holds the opening carry-over
        "绿洲区水务局部门整体支出绩效自评报告\n（2023年度）\n本年度收入总计5,216.38万元，支出总计5,216.38万元。"
        "本年收入合计5,006.30万元，年初结转和结余210.08万元；本年支出合计4,980.50万元，年末结转和结余235.88万元。\n",
    ],
    ids=["zongji-for-the-year", "final-accounts-both-totals", "form-with-execution-points", "bennian-zongji"],
)
def test_consistent_invented_reports_give_no_error(text):
    assert _error_rules(text) == []


def test_a_part_listed_after_baokuo_is_not_a_restatement_of_its_total():
    """在职在编人员 91 and, after 包括, a category's 在职在编人员 0: a part, not the same count twice."""
    from extractor import extract_text

    t = "示例县文化馆2024年度部门整体支出绩效自评报告\n本馆在职在编人员91人，包括：行政在职在编人员0人、事业在职在编人员91人。\n"
    result = extract_text(t)
    assert result.report.headcount.in_service.value == 91
    assert [f.rule for f in result.findings if f.severity == "error"] == []


def test_other_categories_listed_with_the_actual_count_make_it_not_checkable():
    """离休 (or 遗属, 编外) listed beside 在职 and 退休: their sum is not the actual count's whole."""
    from types import SimpleNamespace

    from extractor.rules.headcount import other_categories

    g = Snippet("年末实有人数73人，其中在职人员55人，离休人员1人，退休人员0人，遗属人员17人。")
    in_service, retired = g.count("55人"), g.count("0人", after="退休人员")
    listed = [
        Part(name="在职人员", count=in_service),
        Part(name="离休人员", count=g.count("1人")),
        Part(name="退休人员", count=retired),
        Part(name="遗属人员", count=g.count("17人")),
    ]
    hc = SimpleNamespace(actual_breakdown=listed)
    assert [p.name for p in other_categories(hc, [in_service, retired])] == ["离休人员", "遗属人员"]
    assert other_categories(SimpleNamespace(), [in_service, retired]) == []  # a record without the list


# DOC rules read the text, OCR001 the recognition of the scanned pages (Document.ocr): not figure rules
@pytest.mark.parametrize("c", [c for c in CASES if not c.code.startswith(("DOC", "OCR"))], ids=lambda c: c.id)
def test_figure_rules_read_only_the_record(c: Case):
    """A figure rule gives the same findings with the document's text as without it: what a figure
    is (its label, its qualifiers) comes from the record, never from re-reading the text."""
    report, document = c.make()
    assert run_rules(report, document, select=[c.code]) == run_rules(report, None, select=[c.code])
