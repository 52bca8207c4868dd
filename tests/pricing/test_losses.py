"""Loss pricing (DESIGN §4.1-4.3): hand-computed cases for each rule.

Revenue is 3600 per hour (1 per second) unless a case says otherwise, so a
loss in currency units equals lost-share-weighted seconds.
"""

from __future__ import annotations

import pandas as pd
import pytest

import estimator
from tests.conftest import company, make_inputs, provider_contract, window

AS_OF = "2030-01-01T00:00:00Z"


def losses(inputs: estimator.Inputs, **options: object) -> pd.DataFrame:
    return estimator.estimate(inputs, as_of=AS_OF, **options).losses  # type: ignore[arg-type]


def total(inputs: estimator.Inputs, column: str = "gross_lost_revenue", **options: object) -> float:
    return float(losses(inputs, **options)[column].sum())


def flat_profile(**overrides: float) -> list[dict[str, object]]:
    """A custom profile 'p': weight 1 everywhere, day-hour overrides like sun_1=5."""
    rows: list[dict[str, object]] = [
        {"profile_id": "p", "day": "*", "hour": h, "weight": 1} for h in range(24)
    ]
    for key, weight in overrides.items():
        day, hour = key.split("_")
        rows.append({"profile_id": "p", "day": day, "hour": int(hour), "weight": weight})
    return rows


def test_one_window_half_impact() -> None:
    """1 h at impact 0.5, share 1: 3600 s x 0.5 = 1800."""
    inputs = make_inputs(
        [window("2021-12-07T10:00:00Z", "2021-12-07T11:00:00Z", 0.5)],
        [company()],
        [provider_contract()],
    )
    out = losses(inputs)
    assert out["gross_lost_revenue"].tolist() == [1800.0]
    assert out["impacted_minutes"].tolist() == [60.0]
    assert out["total_loss"].tolist() == [1800.0]


def test_overlapping_windows_take_the_largest_impact_never_the_sum() -> None:
    """[10,12) 0.5 and [11,13) 0.5: L = 0.5 for 3 h = 5400 (a sum would give 7200)."""
    inputs = make_inputs(
        [
            window("2021-12-07T10:00:00Z", "2021-12-07T12:00:00Z", 0.5),
            window("2021-12-07T11:00:00Z", "2021-12-07T13:00:00Z", 0.5),
        ],
        [company()],
        [provider_contract()],
    )
    assert total(inputs) == 5400.0


def test_duplicate_windows_count_once() -> None:
    w = window("2021-12-07T10:00:00Z", "2021-12-07T11:00:00Z", 0.3)
    once = make_inputs([w], [company()], [provider_contract()])
    twice = make_inputs([w, w], [company()], [provider_contract()])
    assert total(once) == total(twice) == pytest.approx(1080.0)


def test_revenue_share_scales_the_loss() -> None:
    """share 0.25 x impact 1 x 2 h = 1800."""
    inputs = make_inputs(
        [window("2021-12-07T10:00:00Z", "2021-12-07T12:00:00Z")],
        [company()],
        [provider_contract(share=0.25)],
    )
    assert total(inputs) == 1800.0


def test_failover_reduces_impact_after_failover_minutes() -> None:
    """3 h at impact 1, share 0.5; after 60 min failover removes 80 %:
    0.5 x 3600 + 0.5 x 0.2 x 7200 = 1800 + 720 = 2520."""
    inputs = make_inputs(
        [window("2021-12-07T10:00:00Z", "2021-12-07T13:00:00Z")],
        [company()],
        [provider_contract(share=0.5, failover_minutes=60, failover_share=0.8)],
    )
    assert total(inputs) == pytest.approx(2520.0)


def test_failover_clock_runs_over_touching_windows_and_restarts_after_a_gap() -> None:
    """Windows [10,11) and [11,12) touch: one episode, failover (full) at 10:30.
    A later window [14,15) is a new episode: failover again after 30 min.
    Loss = 1800 (10:00-10:30) + 1800 (14:00-14:30) = 3600."""
    inputs = make_inputs(
        [
            window("2021-12-07T10:00:00Z", "2021-12-07T11:00:00Z"),
            window("2021-12-07T11:00:00Z", "2021-12-07T12:00:00Z"),
            window("2021-12-07T14:00:00Z", "2021-12-07T15:00:00Z"),
        ],
        [company()],
        [provider_contract(failover_minutes=30)],
    )
    assert total(inputs) == pytest.approx(3600.0)


def test_failover_at_zero_minutes_applies_from_the_start() -> None:
    inputs = make_inputs(
        [window("2021-12-07T10:00:00Z", "2021-12-07T11:00:00Z")],
        [company()],
        [provider_contract(failover_minutes=0, failover_share=0.75)],
    )
    assert total(inputs) == pytest.approx(900.0)


def test_dependency_rules_max_and_independent() -> None:
    """Two services fully down for 1 h, shares 0.5 and 0.4:
    max -> 0.5 x 3600 = 1800; independent -> (1 - 0.5 x 0.6) x 3600 = 2520."""
    inputs = make_inputs(
        [window("2021-12-07T10:00:00Z", "2021-12-07T11:00:00Z", service="*")],
        [company()],
        [
            provider_contract("c1", share=0.5, service="ec2"),
            provider_contract("c2", share=0.4, service="s3"),
        ],
    )
    assert total(inputs, dependency_rule="max") == pytest.approx(1800.0)
    assert total(inputs, dependency_rule="independent") == pytest.approx(2520.0)


def test_unknown_dependency_rule_lists_the_valid_ones() -> None:
    inputs = make_inputs(
        [window("2021-12-07T10:00:00Z", "2021-12-07T11:00:00Z")], [company()], [provider_contract()]
    )
    with pytest.raises(ValueError, match="valid rules: independent, max"):
        estimator.estimate(inputs, dependency_rule="sum", as_of=AS_OF)


def test_recapture_and_outage_costs() -> None:
    """1 h fully down: gross 3600, recaptured 25 % = 900, costs 100/h = 100, total 2800."""
    inputs = make_inputs(
        [window("2021-12-07T10:00:00Z", "2021-12-07T11:00:00Z")],
        [company(recapture_rate=0.25, outage_cost_per_hour=100)],
        [provider_contract()],
    )
    row = losses(inputs).iloc[0]
    assert (row.gross_lost_revenue, row.recaptured_revenue, row.outage_costs, row.total_loss) == (
        3600.0,
        900.0,
        100.0,
        2800.0,
    )


def test_outage_costs_count_hours_with_any_lost_share() -> None:
    """Costs accrue while L(t) > 0, whatever its size: 2 h at impact 0.1 -> 2 x 500."""
    inputs = make_inputs(
        [window("2021-12-07T10:00:00Z", "2021-12-07T12:00:00Z", 0.1)],
        [company(outage_cost_per_hour=500)],
        [provider_contract()],
    )
    assert total(inputs, "outage_costs") == 1000.0


def test_annual_revenue_is_divided_by_8760() -> None:
    inputs = make_inputs(
        [window("2021-12-07T10:00:00Z", "2021-12-07T11:00:00Z")],
        [{"company_id": "acme", "annual_revenue": 8_760_000}],
        [provider_contract()],
    )
    assert total(inputs) == 1000.0


def test_custom_profile_weights_are_normalised_to_a_weekly_mean_of_one() -> None:
    """Tuesday 10:00-11:00 UTC with weight 2 there and 1 elsewhere:
    normalised weight 2 x 168 / 169; loss = 3600 x 2 x 168 / 169."""
    inputs = make_inputs(
        [window("2021-12-07T10:00:00Z", "2021-12-07T11:00:00Z")],
        [company(revenue_profile="p")],
        [provider_contract()],
        profiles=flat_profile(tue_10=2),
    )
    assert total(inputs) == pytest.approx(3600 * 2 * 168 / 169, abs=0.005)


def test_business_hours_profile_moves_revenue_into_the_working_day() -> None:
    day = make_inputs(
        [window("2021-12-07T10:00:00Z", "2021-12-07T11:00:00Z")],
        [company(revenue_profile="business_hours")],
        [provider_contract()],
    )
    night = make_inputs(
        [window("2021-12-07T02:00:00Z", "2021-12-07T03:00:00Z")],
        [company(revenue_profile="business_hours")],
        [provider_contract()],
    )
    assert total(day) > 3600 > total(night)


def test_us_autumn_change_weights_the_repeated_hour_twice() -> None:
    """America/New_York, 7 Nov 2021: 05:00-07:00 UTC is local 01:00 EDT then 01:00 EST,
    both Sunday hour 1 (weight 5; others 1): loss = 3600 x 2 x 5 x 168/172."""
    inputs = make_inputs(
        [window("2021-11-07T05:00:00Z", "2021-11-07T07:00:00Z")],
        [company(timezone="America/New_York", revenue_profile="p")],
        [provider_contract()],
        profiles=flat_profile(sun_1=5),
    )
    assert total(inputs) == pytest.approx(3600 * 2 * 5 * 168 / 172, abs=0.005)


def test_us_spring_change_never_weights_the_skipped_hour() -> None:
    """America/New_York, 14 Mar 2021: 06:00-08:00 UTC is local 01:00 EST and 03:00 EDT;
    02:00 does not exist. Weights sun 1 = 2, sun 2 = 9, sun 3 = 3:
    loss = 3600 x (2 + 3) x 168/179."""
    inputs = make_inputs(
        [window("2021-03-14T06:00:00Z", "2021-03-14T08:00:00Z")],
        [company(timezone="America/New_York", revenue_profile="p")],
        [provider_contract()],
        profiles=flat_profile(sun_1=2, sun_2=9, sun_3=3),
    )
    assert total(inputs) == pytest.approx(3600 * 5 * 168 / 179, abs=0.005)


def test_european_autumn_change() -> None:
    """Europe/London, 31 Oct 2021: 00:00-02:00 UTC is 01:00 BST then 01:00 GMT (hour 1 twice)."""
    inputs = make_inputs(
        [window("2021-10-31T00:00:00Z", "2021-10-31T02:00:00Z")],
        [company(timezone="Europe/London", revenue_profile="p")],
        [provider_contract()],
        profiles=flat_profile(sun_1=4),
    )
    assert total(inputs) == pytest.approx(3600 * 2 * 4 * 168 / 171, abs=0.005)


def test_half_hour_zone() -> None:
    """Asia/Kolkata (UTC+05:30): Monday 00:00-01:00 UTC is 05:30-06:30 IST, half of hour 5
    (weight 2) and half of hour 6 (weight 4): loss = 3600 x (1 + 2) x 168/172."""
    inputs = make_inputs(
        [window("2021-12-06T00:00:00Z", "2021-12-06T01:00:00Z")],
        [company(timezone="Asia/Kolkata", revenue_profile="p")],
        [provider_contract()],
        profiles=flat_profile(mon_5=2, mon_6=4),
    )
    assert total(inputs) == pytest.approx(3600 * 3 * 168 / 172, abs=0.005)


def test_overlapping_events_go_to_the_largest_contribution() -> None:
    """A [10,12) 0.5 and B [11,13) 1.0: 10-11 goes to A (1800), 11-13 to B (7200)."""
    inputs = make_inputs(
        [
            window("2021-12-07T10:00:00Z", "2021-12-07T12:00:00Z", 0.5, outage_id="A"),
            window("2021-12-07T11:00:00Z", "2021-12-07T13:00:00Z", 1.0, outage_id="B"),
        ],
        [company()],
        [provider_contract()],
    )
    out = losses(inputs).set_index("outage_id")
    assert out.loc["A", "gross_lost_revenue"] == 1800.0
    assert out.loc["B", "gross_lost_revenue"] == 7200.0
    assert out.loc["A", "impacted_minutes"] == 60.0
    assert out.loc["B", "impacted_minutes"] == 120.0


def test_tied_events_split_the_slice_evenly() -> None:
    inputs = make_inputs(
        [
            window("2021-12-07T10:00:00Z", "2021-12-07T11:00:00Z", 0.5, outage_id="A"),
            window("2021-12-07T10:00:00Z", "2021-12-07T11:00:00Z", 0.5, outage_id="B"),
        ],
        [company(outage_cost_per_hour=10)],
        [provider_contract()],
    )
    out = losses(inputs).set_index("outage_id")
    assert out["gross_lost_revenue"].tolist() == [900.0, 900.0]
    assert out["outage_costs"].tolist() == [5.0, 5.0]
    assert out["impacted_minutes"].tolist() == [30.0, 30.0]


def test_every_event_that_hits_gets_a_row_even_with_zero_loss() -> None:
    """B lies inside A with a smaller impact: it never contributes, but it hit the company."""
    inputs = make_inputs(
        [
            window("2021-12-07T10:00:00Z", "2021-12-07T12:00:00Z", 1.0, outage_id="A"),
            window("2021-12-07T10:30:00Z", "2021-12-07T11:00:00Z", 0.2, outage_id="B"),
        ],
        [company()],
        [provider_contract()],
    )
    out = losses(inputs).set_index("outage_id")
    assert out.loc["B", "total_loss"] == 0.0
    assert out.loc["A", "total_loss"] == 7200.0


def test_wildcards_match_on_either_side() -> None:
    contracts = [
        provider_contract("exact", share=0.1),
        provider_contract("any-service", share=0.2, service="*"),
        provider_contract("other-region", share=0.3, region="eu-west-1"),
    ]
    cases = {
        ("us-east-1", "ec2"): {"exact", "any-service"},
        ("*", "ec2"): {"exact", "any-service", "other-region"},
        ("us-east-1", "s3"): {"any-service"},
        ("*", "*"): {"exact", "any-service", "other-region"},
    }
    for (region, service), expected in cases.items():
        inputs = make_inputs(
            [
                window(
                    "2021-12-07T10:00:00Z", "2021-12-07T11:00:00Z", region=region, service=service
                )
            ],
            [company()],
            contracts,
        )
        credits = estimator.estimate(inputs, as_of=AS_OF).credits
        assert set(credits["contract_id"]) == expected, (region, service)


def test_other_providers_do_not_hit() -> None:
    inputs = make_inputs(
        [
            window(
                "2021-12-07T10:00:00Z",
                "2021-12-07T11:00:00Z",
                provider="azure",
                region="*",
                service="*",
            )
        ],
        [company()],
        [provider_contract()],
    )
    result = estimator.estimate(inputs, as_of=AS_OF)
    assert result.losses.empty and result.credits.empty
    assert result.summary["total_loss"].tolist() == [0.0]


def test_ongoing_outage_runs_to_as_of_and_results_say_so() -> None:
    inputs = make_inputs([window("2021-12-07T10:00:00Z", None)], [company()], [provider_contract()])
    result = estimator.estimate(inputs, as_of="2021-12-07T12:30:00Z")
    assert result.losses["gross_lost_revenue"].tolist() == [9000.0]
    assert result.ongoing == ["o1"]
    assert result.as_of == pd.Timestamp("2021-12-07T12:30:00Z")
    assert "ongoing" in repr(result)


@pytest.mark.parametrize("bad", ["2021-12-07T12:00:00", "yesterday"])
def test_as_of_needs_an_offset(bad: str) -> None:
    inputs = make_inputs([window("2021-12-07T10:00:00Z", None)], [company()], [provider_contract()])
    with pytest.raises(estimator.InputError, match=r"as_of: .*(UTC offset|ISO 8601)"):
        estimator.estimate(inputs, as_of=bad)


def test_money_is_rounded_half_up_to_the_currency_minor_unit() -> None:
    """0.5 cents rounds up; JPY has no minor unit; BHD has three decimals."""
    base = [window("2021-12-07T10:00:00Z", "2021-12-07T10:00:01Z")]
    usd = make_inputs(base, [company(per_hour=3600 * 0.125)], [provider_contract()])
    jpy = make_inputs(
        base, [company(per_hour=3600 * 2.5, currency="JPY")], [provider_contract(fee=1000)]
    )
    bhd = make_inputs(
        base, [company(per_hour=3600 * 0.0125, currency="BHD")], [provider_contract()]
    )
    assert total(usd) == 0.13
    assert total(jpy) == 3.0
    assert total(bhd) == 0.013
