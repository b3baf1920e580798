"""ctoc-kg: a linked-data publisher for UN meeting documents of the UNTOC Conference of the Parties.

Data flows one way: sources -> data -> validated dataset -> store -> HTTP.
"""

__version__ = "0.1.0"
