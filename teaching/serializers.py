"""The shapes of the teaching API's answers: the inspector and the query count."""

from rest_framework import serializers


class CheckSerializer(serializers.Serializer):
    name = serializers.CharField()
    ok = serializers.BooleanField()
    detail = serializers.CharField()


class InspectionSerializer(serializers.Serializer):
    header = serializers.DictField(allow_null=True)
    payload = serializers.DictField(allow_null=True)
    signature = serializers.CharField(allow_blank=True)
    size_bytes = serializers.IntegerField()
    valid = serializers.BooleanField()
    times = serializers.DictField()
    checks = CheckSerializer(many=True)


class QueryCountSerializer(serializers.Serializer):
    jwt_queries = serializers.IntegerField(
        help_text="Queries to authenticate this request by its token: none."
    )
    session_queries = serializers.IntegerField(
        help_text="Queries to authenticate the same person by a Django session."
    )
