"""What the layers share and are not layers themselves: the lexicon structures (``lexicon``), names
spaCy leaves incomplete (``names``), numbers in digits and words (``numbers``), calendar arithmetic
(``timex``), quoted stretches by their marks (``quotemarks``) and the offline GeoNames index
(``gazetteer``). A layer imports these, never another layer."""
