"""The agent `language` vocabulary: the reference API's 43 codes (`multi` = several languages).

The list itself lives in the catalogue (shared with personalities and scenarios); one place per decision.
"""

from scenarist.catalog.languages import LANGUAGE_CODES

AGENT_LANGUAGES: tuple[str, ...] = LANGUAGE_CODES
DEFAULT_LANGUAGE = "en"
