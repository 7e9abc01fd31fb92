"""Errors a caller can act on. Each says what is wrong with the input in one line.

The CLI prints `str(error)` and exits with code 2; the API maps `http_status` to its response.
"""


class DocumentError(Exception):
    """The input document cannot be read. Base class of every input error."""

    http_status = 422
    code = "document_error"


class UnsupportedFormat(DocumentError):
    http_status = 415
    code = "unsupported_format"


class EncryptedDocument(DocumentError):
    code = "encrypted"


class CorruptDocument(DocumentError):
    code = "corrupt"


class EmptyDocument(DocumentError):
    code = "empty"


class DocumentTooLarge(DocumentError):
    http_status = 413
    code = "too_large"


class ExtractionTimeout(DocumentError):
    code = "timeout"


class ExtractionResourceError(DocumentError):
    """The parser exceeded its memory limit or died on the file."""

    code = "resources_exhausted"
