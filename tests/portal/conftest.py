"""The desk tests (test_desk_*) walk several apps' admin pages and borrow the feedback app's fixtures."""

from tests.feedback.conftest import category, chengguan, make_case  # noqa: F401 - fixtures
