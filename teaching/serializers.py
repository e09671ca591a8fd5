"""The shapes of the teaching API's answers: the inspector and the query count."""

from rest_framework import serializers


class CheckSerializer(serializers.Serializer):
    name = serializers.CharField()
    ok = serializers.BooleanField()
    detail = serializers.CharField()


class FamilyStepSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["born", "renewed", "renewed again", "current", "ended"]
    )
    at = serializers.DateTimeField()
    jti = serializers.CharField(
        allow_blank=True, help_text="The refresh token concerned, when known."
    )
    detail = serializers.CharField()
    this_card = serializers.BooleanField()


class FamilySerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The login: the card's ``fam`` claim.")
    born_at = serializers.DateTimeField(help_text="When the login began.")
    shown = serializers.BooleanField(
        help_text="Whether the login's record is drawn: for the card's owner, or "
        "when the card is valid."
    )
    withheld = serializers.CharField(allow_blank=True)
    device = serializers.CharField(allow_blank=True)
    state = serializers.CharField(allow_blank=True)
    this_card = serializers.CharField(allow_blank=True)
    steps = FamilyStepSerializer(many=True)


class InspectionSerializer(serializers.Serializer):
    header = serializers.DictField(allow_null=True)
    payload = serializers.DictField(allow_null=True)
    signature = serializers.CharField(allow_blank=True)
    size_bytes = serializers.IntegerField()
    valid = serializers.BooleanField()
    times = serializers.DictField()
    checks = CheckSerializer(many=True)
    family = FamilySerializer(
        allow_null=True,
        help_text="The login the card belongs to; none when its signature or "
        "claims do not check out.",
    )


class QueryCountSerializer(serializers.Serializer):
    jwt_queries = serializers.IntegerField(
        help_text="Queries to authenticate this request by its token: none."
    )
    session_queries = serializers.IntegerField(
        help_text="Queries to authenticate the same person by a Django session."
    )
