"""Sentences we wrote to train the event-type classifier, and its shipped weights."""
