"""``python -m bpkit``: train Nielsen's network on the handwritten digits and print its accuracy.

    python -m bpkit [--epochs 30] [--batch 10] [--eta 3.0] [--hidden 30] [--seed 0] [--no-progress]
"""

from __future__ import annotations

import argparse

from . import Network, load_digits, sgd


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bpkit", description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch", type=int, default=10, help="mini-batch size m")
    parser.add_argument("--eta", type=float, default=3.0, help="learning rate η")
    parser.add_argument("--hidden", type=int, default=30, help="neurons in the hidden layer")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    args = parser.parse_args(argv)

    train, test = load_digits(seed=args.seed)
    net = Network([64, args.hidden, 10], seed=args.seed)
    print(f"{net}: {train.n} training and {test.n} test digits (8×8 pixels)")
    print(f"SGD: {args.epochs} epochs, mini-batches of {args.batch}, η = {args.eta}")
    history = sgd(net, train, args.epochs, args.batch, args.eta, test_data=test, seed=args.seed,
                  progress=not args.no_progress)
    print(f"test accuracy after {args.epochs} epochs: {history.test_accuracy[-1]:.2%} "
          f"({round(history.test_accuracy[-1] * test.n)} of {test.n}), "
          f"training cost {history.training_cost[-1]:.4f}, {history.seconds[-1]:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
