"""MIME: parsing raw messages into structure and summary, decoding text, building mail."""
