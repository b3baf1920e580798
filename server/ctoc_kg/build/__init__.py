"""Data -> validated dataset -> release: load, entail, check, validate, then swap in.

``load`` parses the ontology and data files (after ``safety`` checks them),
``entailment`` adds what the ontology's alignments imply, ``validate`` runs the
SHACL gate, and ``release`` writes the store and dumps and switches them in.
"""
