using Pipelines.Torch.Modules;
using Pipelines.Torch.Optimizers;

namespace Pipelines.Torch;

public static partial class torch
{
    /// <summary>Optimizers (<c>torch.optim</c>), with PyTorch 1.13's algorithms and defaults.</summary>
    public static partial class optim
    {
        /// <summary>Stochastic gradient descent over one group of parameters.</summary>
        public static SGD SGD(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0,
            double weight_decay = 0, bool nesterov = false, bool maximize = false) =>
            SGD([new ParamGroup(parameters)], lr, momentum, dampening, weight_decay, nesterov, maximize);

        /// <summary>Stochastic gradient descent over parameter groups; the arguments are the defaults of groups without options.</summary>
        public static SGD SGD(IEnumerable<ParamGroup> groups, double lr, double momentum = 0, double dampening = 0,
            double weight_decay = 0, bool nesterov = false, bool maximize = false) =>
            new(groups, new SGDOptions(lr) { momentum = momentum, dampening = dampening, weight_decay = weight_decay, nesterov = nesterov, maximize = maximize });

        /// <summary>Adam over one group of parameters.</summary>
        public static Adam Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false) =>
            Adam([new ParamGroup(parameters)], lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);

        /// <summary>Adam over parameter groups; the arguments are the defaults of groups without options.</summary>
        public static Adam Adam(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false) =>
            new(groups, new AdamOptions(lr) { beta1 = beta1, beta2 = beta2, eps = eps, weight_decay = weight_decay, amsgrad = amsgrad, maximize = maximize });

        /// <summary>AdamW (decoupled weight decay) over one group of parameters.</summary>
        public static AdamW AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8, double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false) =>
            AdamW([new ParamGroup(parameters)], lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);

        /// <summary>AdamW over parameter groups; the arguments are the defaults of groups without options.</summary>
        public static AdamW AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8, double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false) =>
            new(groups, new AdamOptions(lr) { beta1 = beta1, beta2 = beta2, eps = eps, weight_decay = weight_decay, amsgrad = amsgrad, maximize = maximize });

        /// <summary>RMSprop over one group of parameters.</summary>
        public static RMSprop RMSprop(IEnumerable<Parameter> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
            double weight_decay = 0, double momentum = 0, bool centered = false, bool maximize = false) =>
            RMSprop([new ParamGroup(parameters)], lr, alpha, eps, weight_decay, momentum, centered, maximize);

        /// <summary>RMSprop over parameter groups; the arguments are the defaults of groups without options.</summary>
        public static RMSprop RMSprop(IEnumerable<ParamGroup> groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
            double weight_decay = 0, double momentum = 0, bool centered = false, bool maximize = false) =>
            new(groups, new RMSpropOptions(lr) { alpha = alpha, eps = eps, weight_decay = weight_decay, momentum = momentum, centered = centered, maximize = maximize });

        /// <summary>Adagrad over one group of parameters.</summary>
        public static Adagrad Adagrad(IEnumerable<Parameter> parameters, double lr = 1e-2, double lr_decay = 0, double weight_decay = 0,
            double initial_accumulator_value = 0, double eps = 1e-10, bool maximize = false) =>
            Adagrad([new ParamGroup(parameters)], lr, lr_decay, weight_decay, initial_accumulator_value, eps, maximize);

        /// <summary>Adagrad over parameter groups; the arguments are the defaults of groups without options.</summary>
        public static Adagrad Adagrad(IEnumerable<ParamGroup> groups, double lr = 1e-2, double lr_decay = 0, double weight_decay = 0,
            double initial_accumulator_value = 0, double eps = 1e-10, bool maximize = false) =>
            new(groups, new AdagradOptions(lr) { lr_decay = lr_decay, weight_decay = weight_decay, initial_accumulator_value = initial_accumulator_value, eps = eps, maximize = maximize });
    }
}
