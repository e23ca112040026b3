# Mazur's network in PyTorch (float64): the forward pass, loss.backward()
# and the .grad it fills. A plain script that bpkit never imports: chapter 9
# prints it; bpkit.autodiff.pytorch.mazur_backward runs it for its numbers.
import torch

f64 = torch.float64
x = torch.tensor([0.05, 0.10], dtype=f64)                # a^1
y = torch.tensor([0.01, 0.99], dtype=f64)
# the weights and biases are leaves (no operation made them):
# autograd adds their gradients into .grad
w2 = torch.tensor([[0.15, 0.20], [0.25, 0.30]], dtype=f64,
                  requires_grad=True)    # one row per neuron it feeds
b2 = torch.tensor([0.35, 0.35], dtype=f64, requires_grad=True)
w3 = torch.tensor([[0.40, 0.45], [0.50, 0.55]], dtype=f64,
                  requires_grad=True)
b3 = torch.tensor([0.60, 0.60], dtype=f64, requires_grad=True)

z2 = w2 @ x + b2                 # the forward pass records its graph
a2 = torch.sigmoid(z2)
z3 = w3 @ a2 + b3
a3 = torch.sigmoid(z3)
loss = 0.5 * ((a3 - y) ** 2).sum()                       # C
z2.retain_grad()                 # keep ∂C/∂z², which is δ²
z3.retain_grad()
loss.backward()                  # reverse mode, from C to the leaves

print("loss", loss.item())
for name, t in (("w2", w2), ("b2", b2), ("w3", w3), ("b3", b3),
                ("z2", z2), ("z3", z3)):
    print(f"{name}.grad", t.grad.tolist())
