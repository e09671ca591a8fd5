"""Static files with DEBUG off: hashed names once collected, plain names before."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class LenientManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed files with hashed names, cacheable for a year.

    A file the manifest does not list (no ``collectstatic`` yet, or a file added
    since) keeps its own name instead of failing the page that links to it:
    WhiteNoise serves it from the source folders (``WHITENOISE_USE_FINDERS``).
    """

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            return name
