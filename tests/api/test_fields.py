"""The input fields that take text, and nothing that DRF would turn into text."""

import pytest
from rest_framework.exceptions import ValidationError

from api.fields import StrictCharField, StrictSlugField


@pytest.mark.parametrize("field", [StrictCharField(), StrictSlugField()])
@pytest.mark.parametrize("value", [0, 42, 1.5, True, ["a"], {"a": 1}])
def test_a_value_that_is_not_text_is_invalid(field, value):
    with pytest.raises(ValidationError) as refused:
        field.run_validation(value)
    assert refused.value.get_codes() == ["invalid"]


def test_a_slug_is_still_a_slug():
    assert StrictSlugField().run_validation("marios-pizzeria") == "marios-pizzeria"
    with pytest.raises(ValidationError):
        StrictSlugField().run_validation("not a slug")
