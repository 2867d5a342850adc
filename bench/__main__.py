"""Run every benchmark and print the figures: python -m bench"""

from bench import common


def main() -> None:
    common.setup()
    from bench import person_search, record_page, timescales

    results = {}
    results.update(record_page.run())
    results.update(person_search.run())
    results.update(timescales.run())
    common.write_results(results)


if __name__ == "__main__":
    main()
