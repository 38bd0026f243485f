INDICATORS: list = []
