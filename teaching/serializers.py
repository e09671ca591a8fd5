"""The shape of the token inspector's answer."""

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
