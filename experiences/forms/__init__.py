"""The forms of experiences, one concern per module: the citizens' share form and its tracking and
countries, the author's correction, and the agents' list filters, answers and handling of an experience.
"""
