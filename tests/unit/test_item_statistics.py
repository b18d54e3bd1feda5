"""Item statistics and the Wilson interval against hand-computed examples."""
import math

import pytest

from gramota.scoring.statistics import flags_for, item_statistics, wilson_interval


def test_wilson_interval_matches_the_textbook_values():
    # 8 of 10: p = 0.8, z = 1.96 -> centre 0.7167, half 0.2265 -> (0.4902, 0.9433) (Wilson 1927; Newcombe 1998)
    low, high = wilson_interval(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)


def test_wilson_interval_of_a_tiny_perfect_region_is_wide_and_inside_0_1():
    low, high = wilson_interval(3, 3)
    assert high == 1.0 and round(low, 4) == 0.4385
    big_low, _ = wilson_interval(900, 1000)
    assert big_low > low  # 900/1000 is surely better than "3 of 3" looks
    assert wilson_interval(0, 0) == (0.0, 0.0)
    assert wilson_interval(0, 5)[0] == 0.0


# Five results, three 0/1 items (marks; each item's maximum is 1):
#   x1 x2 x3 | total
#    1  1  1 |  3
#    1  1  0 |  2
#    1  0  0 |  1
#    0  1  0 |  1
#    0  0  0 |  0
# Item 1: mean 0.6 -> facility 60 %; var = (3 - 9/5)/4 = 0.3 -> SD = sqrt(0.3) = 54.77 %.
#   rest R1 = (2,1,0,1,0): ΣR=4, ΣR²=6, var_R=(6-16/5)/4=0.7; ΣxR=3, cov=(3-3·4/5)/4=0.15
#   D1 = 0.15/sqrt(0.3·0.7) = 0.3273 -> 32.73 %. Sorted: x=(0,0,1,1,1), R=(0,0,1,1,2): Σ=4,
#   cov_max=(4-2.4)/4=0.4 -> DE1 = 0.15/0.4 = 37.5 %.
# Item 2: mean 0.6; R2 = (2,1,1,0,0): ΣR=4, ΣR²=6, var 0.7; ΣxR = 2+1+0 = 3 -> cov 0.15 -> D2 = 32.73 %, DE2 37.5 %.
# Item 3: mean 0.2 -> facility 20 %; var = (1-1/5)/4 = 0.2 -> SD 44.72 %; R3 = (2,2,1,1,0): ΣR=6, ΣR²=10,
#   var_R=(10-36/5)/4=0.7; ΣxR=2, cov=(2-1·6/5)/4=0.2 -> D3 = 0.2/sqrt(0.2·0.7) = 0.5345 -> 53.45 %;
#   sorted: x=(0,0,0,0,1), R=(0,1,1,2,2): Σ=2 -> cov_max 0.2 -> DE3 = 100 %.
# Test: totals (3,2,1,1,0): mean 1.4 of 3 = 46.67 %; var_T = (15 - 49/5)/4 = 1.3; Σvar_i = 0.8;
#   alpha = 3/2 · (1 - 0.8/1.3) = 0.5769 -> 57.69 %; ER = sqrt(1 - 0.5769) = 65.04 %;
#   SD_T = sqrt(1.3)/3 = 38.01 %; SE = 0.6504 · 38.01 = 24.72 %.
MARKS = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 0]]


def test_item_statistics_match_the_worked_example():
    items, test = item_statistics(MARKS, [1, 1, 1])
    got = [(round(i.facility_index, 2), round(i.standard_deviation, 2), round(i.discrimination_index, 2),
            round(i.discriminative_efficiency, 2)) for i in items]
    assert got == [(60.0, 54.77, 32.73, 37.5), (60.0, 54.77, 32.73, 37.5), (20.0, 44.72, 53.45, 100.0)]
    assert round(test.mean_percent, 2) == 46.67
    assert round(test.cronbach_alpha, 2) == 57.69
    assert round(test.error_ratio, 2) == 65.04
    assert round(test.score_sd_percent, 2) == 38.01
    assert round(test.standard_error, 2) == 24.72


def test_items_are_flagged_as_moodle_suggests():
    assert flags_for(95, 40) == ("too_easy",)
    assert flags_for(5, 40) == ("too_hard",)
    assert flags_for(50, 10) == ("low_discrimination",)
    assert flags_for(50, -5) == ("negative_discrimination",)
    assert flags_for(50, 30) == ()


def test_an_item_everyone_gets_right_has_no_discrimination_rather_than_a_division_by_zero():
    items, _ = item_statistics([[1, 1], [1, 0], [1, 1]], [1, 1])
    assert items[0].discrimination_index == 0.0 and "too_easy" in items[0].flags
    assert not math.isnan(items[1].discrimination_index)


@pytest.mark.parametrize("passed, attempts", [(0, 1), (1, 1), (17, 40), (999, 1000)])
def test_wilson_interval_contains_the_rate(passed, attempts):
    low, high = wilson_interval(passed, attempts)
    assert low <= passed / attempts <= high
