"""CSV export of analytics: spreadsheet formulas in names are neutralised; Cyrillic survives Excel."""
import csv
import io

from gramota.gateway.routes.analytics import PassRateOut, csv_response
from gramota.shared.csv_safe import neutralise as safe_cell


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted():
    for evil in ("=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "\tcmd"):
        assert safe_cell(evil).startswith("'")
    assert safe_cell("Республика Дагестан") == "Республика Дагестан"
    assert safe_cell(-0.5) == -0.5  # numbers stay numbers


def test_pass_rates_csv_has_a_header_a_bom_and_neutralised_names():
    row = PassRateOut(key="=cmd|' /C calc'!A0", attempts=3, passed=2, pass_rate=0.6667, wilson_low=0.2, wilson_high=0.94,
                      first_attempts=3, first_attempt_pass_rate=0.6667)
    body = csv_response([row], "x.csv").body.decode("utf-8")
    assert body.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert table[0][:3] == ["key", "attempts", "passed"]
    assert table[1][0] == "'=cmd|' /C calc'!A0" and table[1][1] == "3"
