"""The demo's random generator: deterministic for a seed, and quick where the generator calls it millions of times."""

import random


class DemoRandom(random.Random):
    """`random.Random` whose `choice` and `randint` take one `random()` call.

    The standard ones draw bits until an unbiased index comes out, three times slower; a bias
    of one in 2⁵³ does not matter to a demo.
    """

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))
