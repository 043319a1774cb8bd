"""Route rules of the training area are split by part: training_programmes, training_attendance,
training_completion, training_money (each defines RULES)."""

RULES: list = []
