"""newsgraph: turn news articles into structured knowledge, locally."""

from newsgraph.document import SCHEMA, Document
from newsgraph.errors import InputError

__version__ = "0.1.0"
__all__ = ["SCHEMA", "Document", "InputError", "__version__"]
