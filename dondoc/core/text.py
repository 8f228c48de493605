"""Vietnamese text: normalization, diacritic-free search keys, alphabetical sort keys.

(First version; tone-placement handling and the full Vietnamese collation come next.)
"""

import unicodedata


def normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def search_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", normalize(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def sort_key(text: str) -> str:
    return search_key(text)


def person_sort_key(full_name: str) -> str:
    parts = normalize(full_name).split(" ")
    return sort_key(" ".join([parts[-1], *parts[1:-1], parts[0]]) if len(parts) > 1 else full_name)
