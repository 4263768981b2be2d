"""`python -m bench` runs the benchmark; `python -m bench prepare CALLS LEADS OUT` is its helper."""

import sys

if len(sys.argv) > 1 and sys.argv[1] == "prepare":
    import django

    django.setup()
    from bench.prepare import main

    main(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
else:
    from bench.runner import main

    main()
