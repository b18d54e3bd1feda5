"""The consumer notices when its idle polls burn CPU (kafka-python's stalled heartbeat) and not otherwise."""
from gramota.shared.consumer import SpinGuard


class Clocks:
    def __init__(self) -> None:
        self.wall = 0.0
        self.cpu = 0.0

    def idle(self, seconds: float, cpu_share: float) -> None:
        self.wall += seconds
        self.cpu += seconds * cpu_share


def guard(clocks: Clocks) -> SpinGuard:
    return SpinGuard(window=5.0, max_share=0.2, clock=lambda: clocks.wall, cpu=lambda: clocks.cpu)


def test_a_healthy_idle_consumer_is_left_alone():
    clocks = Clocks()
    g = guard(clocks)
    verdicts = []
    for _ in range(100):  # 20 s of 200 ms polls at ~1 % of a core
        clocks.idle(0.2, 0.01)
        verdicts.append(g.idle_poll())
    assert not any(verdicts)


def test_a_spinning_consumer_is_noticed_once_a_window_has_passed():
    clocks = Clocks()
    g = guard(clocks)
    verdicts = []
    for _ in range(30):  # polls that return at once and burn a third of a core
        clocks.idle(0.2, 0.33)
        verdicts.append(g.idle_poll())
    assert verdicts.index(True) == 24  # the 25th poll closes the first 5 s window
    assert not any(verdicts[:24])


def test_work_on_records_does_not_count_as_spinning():
    clocks = Clocks()
    g = guard(clocks)
    clocks.idle(4.0, 0.9)  # handling a batch: busy, but not idle polling
    g.restart()
    clocks.idle(5.0, 0.01)
    assert g.idle_poll() is False
